/* The course's service worker (written to the site root as sw.js by _ext/offline_site.py, which
 * puts the build's manifest in the line below). It keeps the course readable offline:
 *
 * - pages: from the network first whenever there is one (a republished page is seen at once),
 *   saved as they arrive; from the saved copy only when the network fails;
 * - everything else the manifest lists (stylesheets, scripts, fonts, images, the search index,
 *   named by their content hash in their URL): from the saved copy, else the network;
 * - anything the manifest does not list, and all of lite/ (an app with its own worker): not
 *   answered here at all, so the browser does what it would without this worker.
 *
 * Installing saves the files every page loads and keeps the files an earlier version saved:
 * a file whose content hash is unchanged is copied, only a changed one is fetched again. The
 * rest of the course is fetched when a page asks ("fill", sent by offline.js once the page is
 * idle and the reader's browser does not ask to save data), or just the page open ("keep").
 * Caches are named after this site's root, and only this site's old caches are deleted. */
"use strict";

const MANIFEST = {};

const FILES = MANIFEST.files || {};
const SCOPE = new URL("./", self.location.href).href;
const PREFIX = "course-offline " + new URL(SCOPE).pathname;
const CACHE = PREFIX + " " + MANIFEST.version;
const HASH = "X-Course-Content-Hash";
const NOT_OURS = ["lite/"];
const PARALLEL = 2; // downloads at a time: the reader's own page loads come first

function relative(url) {
  if (!url.startsWith(SCOPE)) return null;
  return url.slice(SCOPE.length).split("#")[0];
}

function notOurs(rel) {
  return rel === "sw.js" || NOT_OURS.some((p) => rel === p.slice(0, -1) || rel.startsWith(p));
}

// A page's key: its path with any query (?q=, ?highlight=) left out, a folder as its index.html.
function pageKey(rel) {
  let path = rel.split("?")[0];
  if (path === "" || path.endsWith("/")) path += "index.html";
  return path.endsWith(".html") && path in FILES ? path : null;
}

async function contentHash(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

// Saved with the hash of what was received, so a later version knows whether to fetch it again.
async function store(cache, key, response) {
  const body = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding"); // the body is already decoded
  headers.delete("Content-Length");
  headers.set(HASH, await contentHash(body));
  await cache.put(SCOPE + key, new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

async function download(cache, key, mode) {
  const response = await fetch(SCOPE + key, { cache: mode || "no-cache", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${key}: HTTP ${response.status}`);
  await store(cache, key, response);
}

async function savedHash(cache, key) {
  const hit = await cache.match(SCOPE + key);
  return hit ? hit.headers.get(HASH) : null;
}

async function olderCaches() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX + " ") && n !== CACHE);
  return Promise.all(names.reverse().map((n) => caches.open(n))); // newest first
}

async function refresh(cache, older, key) {
  const want = FILES[key];
  if ((await savedHash(cache, key)) === want) return;
  for (const old of older) {
    const hit = await old.match(SCOPE + key);
    if (hit && hit.headers.get(HASH) === want) {
      await cache.put(SCOPE + key, hit);
      return;
    }
  }
  await download(cache, key);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const older = await olderCaches();
    const had = new Set();
    for (const old of older) {
      for (const request of await old.keys()) {
        const rel = relative(request.url);
        if (rel !== null && rel in FILES) had.add(rel);
      }
    }
    for (const key of MANIFEST.core || []) await refresh(cache, older, key); // a failure here fails the install
    for (const key of had) await refresh(cache, older, key).catch(() => {}); // fetched again on use
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX + " ") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function offlinePage() {
  const link = (key, text) => (key ? `<a href="${SCOPE}${key}">${text}</a>` : "");
  const links = [link(MANIFEST.start, "The start of the course"), link(MANIFEST.progress, "Your progress and offline reading")]
    .filter(Boolean).join(" &middot; ");
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Not saved for offline reading</title>
<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}
a{color:#0550ae}@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#121212}a{color:#79c0ff}}</style></head>
<body><main><h1>This page is not saved on this device yet</h1>
<p>There is no connection just now, and this page was not saved for offline reading. It will open when you are back online.</p>
<p>${links}</p></main></body></html>`;
  return new Response(body, { status: 503, statusText: "Offline", headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirst(event, key) {
  const request = event.request;
  try {
    const response = await fetch(request, { cache: "no-cache" });
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => store(cache, key, copy)).catch(() => {}));
    }
    return response;
  } catch (error) {
    const saved = await caches.match(SCOPE + key, { cacheName: CACHE });
    if (saved) return saved;
    return request.mode === "navigate" ? offlinePage() : new Response("", { status: 504, statusText: "Offline" });
  }
}

async function cacheFirst(event, key) {
  const cache = await caches.open(CACHE);
  const saved = await cache.match(SCOPE + key);
  if (saved) return saved;
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(store(cache, key, copy).catch(() => {}));
    }
    return response;
  } catch (error) {
    return new Response("", { status: 504, statusText: "Offline" });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const rel = relative(request.url);
  if (rel === null || notOurs(rel)) return;
  const page = pageKey(rel);
  if (page) event.respondWith(networkFirst(event, page));
  else if (rel in FILES) event.respondWith(cacheFirst(event, rel));
});

// ---- Asked by the pages ----------------------------------------------------------------------

async function status() {
  const cache = await caches.open(CACHE);
  const keys = Object.keys(FILES);
  let saved = 0;
  let pages = 0;
  for (const key of keys) {
    if ((await savedHash(cache, key)) !== null) {
      saved += 1;
      if (key.endsWith(".html")) pages += 1;
    }
  }
  return { version: MANIFEST.version, total: keys.length, saved, pages, totalPages: (MANIFEST.pages || []).length };
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

let filling = null;
async function fill() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const key of Object.keys(FILES)) if ((await savedHash(cache, key)) !== FILES[key]) missing.push(key);
  const total = Object.keys(FILES).length;
  let saved = total - missing.length;
  let failed = 0;
  const next = async () => {
    while (missing.length) {
      const key = missing.shift();
      try {
        await download(cache, key);
        saved += 1;
      } catch (error) {
        failed += 1;
      }
      await tell({ type: "course-offline-progress", saved, total, failed });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
  await tell({ type: "course-offline-progress", saved, total, failed, done: true });
}

// The page just shown and what it loaded, from the browser's cache where it has them.
async function keep(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls || []) {
    const rel = relative(String(url));
    if (rel === null || notOurs(rel)) continue;
    const key = pageKey(rel) || (rel in FILES ? rel : null);
    if (key && (await savedHash(cache, key)) === null) await download(cache, key, "force-cache").catch(() => {});
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (value) => event.ports && event.ports[0] && event.ports[0].postMessage(value);
  if (data.type === "fill") {
    filling = filling || fill().finally(() => { filling = null; });
    event.waitUntil(filling.then(status).then(reply));
  } else if (data.type === "keep") {
    event.waitUntil(keep(data.urls).then(status).then(reply));
  } else if (data.type === "status") {
    event.waitUntil(status().then((s) => reply({ ...s, filling: filling !== null })));
  }
});
