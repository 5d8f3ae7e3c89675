/* Offline reading on the course site (_ext/offline_site.py): registers the site's service worker
 * (sw.js at the site root, whatever sub-path the site is published under) and, once the page is
 * idle, asks it to save the whole course, or only this page when the browser asks sites to save
 * data. The reader is asked nothing; the {offline-reading} section shows what is saved and has
 * the button that saves the whole course anyway. From file:// nothing is registered: the pages
 * are already on the device. Nothing leaves the browser but requests for the site's own files. */
(function () {
  "use strict";

  var IDLE_DELAY = 3000; // after load: the page's own images and scripts first

  function root() {
    var content = document.documentElement.getAttribute("data-content_root") || "./";
    return new URL(content, location.href).href;
  }
  function choiceKey() { return "course-offline:" + new URL(root()).pathname + ":whole-course"; }

  var supported = "serviceWorker" in navigator && window.isSecureContext && /^https?:$/.test(location.protocol);
  var fromFiles = location.protocol === "file:";

  function savesData() {
    var c = navigator.connection;
    return Boolean(c && c.saveData);
  }
  function wantsWholeCourse() {
    try { return localStorage.getItem(choiceKey()) === "yes"; } catch (e) { return false; }
  }

  var listeners = [];

  function ask(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  function ready() {
    if (!supported) return Promise.reject(new Error("no service worker here"));
    return navigator.serviceWorker.ready.then(function (reg) { return reg.active; });
  }

  function ownFiles() {
    var urls = [location.href.split("#")[0]];
    if (window.performance && performance.getEntriesByType) {
      performance.getEntriesByType("resource").forEach(function (e) { urls.push(e.name); });
    }
    return urls;
  }

  function save(whole) {
    return ready().then(function (worker) {
      return whole ? ask(worker, { type: "fill" }) : ask(worker, { type: "keep", urls: ownFiles() });
    });
  }

  var api = {
    supported: supported,
    fromFiles: fromFiles,
    savesData: savesData,
    wholeCourse: function () { return !savesData() || wantsWholeCourse(); },
    status: function () {
      return ready().then(function (worker) { return ask(worker, { type: "status" }); });
    },
    // The reader's "Save the course for offline reading": remembered, and done now.
    saveCourse: function () {
      try { localStorage.setItem(choiceKey(), "yes"); } catch (e) { /* still saved now */ }
      return save(true);
    },
    onProgress: function (callback) { listeners.push(callback); },
  };
  window.courseOffline = api;

  if (supported) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "course-offline-progress") {
        listeners.forEach(function (cb) { cb(event.data); });
      }
    });
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(root() + "sw.js", { scope: root() }).then(function () {
        setTimeout(function () {
          save(api.wholeCourse()).then(function (s) {
            listeners.forEach(function (cb) { cb(Object.assign({ done: true }, s)); });
          }).catch(function () {});
        }, IDLE_DELAY);
      }).catch(function () { /* no offline copy: the site works as before */ });
    });
  }

  // ---- The {offline-reading} section --------------------------------------------------------

  function describe(section, s) {
    var status = section.querySelector(".offline-status");
    var button = section.querySelector(".offline-save");
    var complete = s && s.saved >= s.total;
    if (complete) {
      status.textContent = "The whole course is saved on this device (" + s.totalPages + " pages). It opens " +
        "without a connection, and brings itself up to date when you are online and the course has changed.";
    } else if (s && s.filling) {
      status.textContent = "Saving the course for offline reading: " + s.saved + " of " + s.total + " files.";
    } else if (s) {
      status.textContent = (savesData() && !wantsWholeCourse()
        ? "Your browser asks websites to save data, so only the pages you open are saved for offline reading. "
        : "") + "Saved on this device: " + s.pages + " of " + s.totalPages + " pages.";
    }
    button.hidden = Boolean(complete) || !s;
  }

  function initSection(section) {
    var status = section.querySelector(".offline-status");
    var button = section.querySelector(".offline-save");
    if (fromFiles) {
      status.textContent = "You are reading the course from files on this device, so every page already opens " +
        "without a connection.";
      return;
    }
    if (!supported) {
      status.textContent = "This browser cannot save the course for offline reading. Pages you have open keep " +
        "working without a connection.";
      return;
    }
    status.textContent = "Checking what is saved on this device…";
    var refresh = function () { api.status().then(function (s) { describe(section, s); }); };
    button.addEventListener("click", function () {
      button.hidden = true;
      status.textContent = "Saving the course for offline reading…";
      api.saveCourse().then(refresh, function () {
        status.textContent = "The course could not be saved just now. Please try again when you are online.";
        button.hidden = false;
      });
    });
    var last = 0;
    api.onProgress(function (p) {
      // A polite region: a sentence every few files, not one per file.
      if (p.done || p.saved - last >= 10) {
        last = p.saved;
        if (p.done) refresh();
        else describe(section, { saved: p.saved, total: p.total, filling: true });
      }
    });
    refresh();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-offline-reading]"), initSection);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
}());
