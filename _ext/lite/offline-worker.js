/* The course's offline layer, in front of JupyterLite's own service worker (which follows it in
 * this file, unchanged, and still answers everything this layer leaves to it: the kernel's
 * window on the notebook's folder, /api/drive, and input()).
 *
 * Every other file of the app is served from this browser's cache once it has been fetched, so
 * a second visit loads nothing from the network and works with no network at all: the runtime,
 * the app, the contents listing (which JupyterLite's own cache option never keeps) and the
 * released notebooks. The cache belongs to one build of the site (VERSION, a hash of its files):
 * a site built again with other files is a new service worker, which drops the old cache.
 * The page's extension sends the list of files its visit used, once the kernel is ready (some
 * were loaded before this worker took control); they are copied from the browser's HTTP cache.
 */
/* eslint-env serviceworker */
const COURSE_CACHE_PREFIX = 'course-kit-lite-';
const COURSE_CACHE = COURSE_CACHE_PREFIX + '__VERSION__';
// Files the kernel's worker loads (relative to this file): kept even if the worker's own
// requests did not pass through here.
const COURSE_KERNEL_FILES = __KERNEL_FILES__;
const COURSE_LEAVE_TO_JUPYTERLITE = /\/api\/(drive|stdin\/|service-worker-heartbeat)|\/service-worker\.js$/;
// The runtime's WebAssembly is answered from the cache even when it was just fetched: the browser
// keeps the code it compiles only beside a response from the cache, so the second visit starts
// from compiled code, as the third did before (benchmarks/lite.py: 4.0-4.2 s to 3.3-3.6 s).
// The first visit compiles once the file is in, no longer while it arrives (0.4-0.7 s later).
const COURSE_COMPILED = /\.wasm$/;

function courseKey(request) {
  // One copy of each page: index.html?path=a.ipynb and index.html?path=b.ipynb are the same file.
  if (request.mode === 'navigate') {
    const url = new URL(request.url);
    url.search = '';
    url.hash = '';
    return url.href;
  }
  return request;
}

function courseHandles(url) {
  return url.origin === self.location.origin
    && url.href.startsWith(self.registration.scope)
    && !COURSE_LEAVE_TO_JUPYTERLITE.test(url.pathname);
}

async function courseFromCache(event) {
  const cache = await caches.open(COURSE_CACHE);
  const key = courseKey(event.request);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok && response.type === 'basic') {
    if (COURSE_COMPILED.test(new URL(event.request.url).pathname)) {
      try {
        await cache.put(key, response.clone());
        const kept = await cache.match(key);
        if (kept) return kept;
      } catch (e) {
        // the cache is full or refused: the network's response serves as before
      }
      return response;
    }
    event.waitUntil(cache.put(key, response.clone()));
  }
  return response;
}

async function courseKeep(urls) {
  const cache = await caches.open(COURSE_CACHE);
  const scope = self.registration.scope;
  const wanted = new Set();
  for (const raw of [...urls, ...COURSE_KERNEL_FILES.map((f) => new URL(f, scope).href)]) {
    const url = new URL(raw);
    url.hash = '';
    if (!courseHandles(url)) continue;
    // A page is kept under its address without the query (see courseKey).
    if (/\.html$|\/$/.test(url.pathname)) url.search = '';
    wanted.add(url.href);
  }
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url, { cache: 'force-cache' });
      if (response.ok) await cache.put(url, response);
    } catch (e) {
      // offline or gone: it is fetched again on the next visit
    }
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith(COURSE_CACHE_PREFIX) && k !== COURSE_CACHE).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET' || !courseHandles(new URL(event.request.url))) return;
  // Answered here: JupyterLite's handler below would fetch the file again.
  event.stopImmediatePropagation();
  event.respondWith(courseFromCache(event));
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'course-kit-keep' && Array.isArray(event.data.urls)) {
    event.waitUntil(courseKeep(event.data.urls));
  }
});

/* ---- JupyterLite's service worker, as built ---- */
