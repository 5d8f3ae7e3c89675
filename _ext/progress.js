/* Your progress, kept in this browser (_ext/reader_progress.py). On every page: which pages were
 * opened. Self-check answers and results (self-check.js) and case-study inputs (widget-host.js)
 * are kept through the API below. Everything is one localStorage entry named after the site's
 * root, never sent anywhere; it holds no dates, times or names. "Forget my answers" removes it;
 * it can be saved to a file and read back, on this device or another.
 *
 * Stored format (also the file's):
 *   {"format": "course-kit-progress", "version": 1,
 *    "opened":  {"<page>": 1},
 *    "answers": {"<page>": {"<question>": {"form": "<form id>", "values": {"<control id>": true | "text"},
 *                                          "result": "right" | "wrong" | "", "check": "<question fingerprint>"}}},
 *    "widgets": {"<page>": {"<widget>#<n>": {"check": "<widget fingerprint>", "state": {"<trait>": value}}}}}
 * where <page> is the page's path from the site root without ".html" ("book/article-6"). */
(function () {
  "use strict";

  var FORMAT = "course-kit-progress";
  var VERSION = 1;

  function root() {
    var content = document.documentElement.getAttribute("data-content_root") || "./";
    return new URL(content, location.href);
  }

  function pageOf(url) {
    var base = root().pathname;
    var path = decodeURIComponent(new URL(url, location.href).pathname);
    if (path.indexOf(base) === 0) path = path.slice(base.length);
    if (path === "" || /\/$/.test(path)) path += "index.html";
    return path.replace(/\.html$/, "");
  }

  var KEY = "course-progress:" + root().pathname;

  function empty() {
    return { format: FORMAT, version: VERSION, opened: {}, answers: {}, widgets: {} };
  }

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ":probe", "1");
    storage.removeItem(KEY + ":probe");
  } catch (e) {
    storage = null; // storage switched off: nothing is kept, the pages work as before
  }

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  // Only what this format allows is kept from a stored entry or a file.
  function clean(doc) {
    if (!isObject(doc) || doc.format !== FORMAT || typeof doc.version !== "number" || doc.version > VERSION) return null;
    var out = empty();
    if (isObject(doc.opened)) {
      Object.keys(doc.opened).forEach(function (p) { out.opened[p] = 1; });
    }
    eachRecord(doc.answers, "values", function (p, q, r) {
      var values = {};
      Object.keys(r.values).forEach(function (id) {
        var v = r.values[id];
        if (typeof v === "boolean" || typeof v === "string") values[id] = v;
      });
      out.answers[p] = out.answers[p] || {};
      out.answers[p][q] = { form: String(r.form || q), values: values,
        result: r.result === "right" || r.result === "wrong" ? r.result : "", check: String(r.check || "") };
    });
    eachRecord(doc.widgets, "state", function (p, w, r) {
      out.widgets[p] = out.widgets[p] || {};
      out.widgets[p][w] = { check: String(r.check || ""), state: r.state };
    });
    return out;
  }

  // Each record of a section kept per page (page -> name -> record) whose `field` is an object;
  // anything else a stored entry or a file holds there is left out.
  function eachRecord(section, field, keep) {
    if (!isObject(section)) return;
    Object.keys(section).forEach(function (p) {
      if (!isObject(section[p])) return;
      Object.keys(section[p]).forEach(function (name) {
        var r = section[p][name];
        if (isObject(r) && isObject(r[field])) keep(p, name, r);
      });
    });
  }

  function read() {
    if (!storage) return empty();
    try { return clean(JSON.parse(storage.getItem(KEY) || "null")) || empty(); } catch (e) { return empty(); }
  }

  var listeners = [];
  function changed() { listeners.forEach(function (cb) { cb(); }); }
  // Pages that show kept answers (self-check.js) put their forms back as they were.
  function forgotten() { document.dispatchEvent(new CustomEvent("course-progress-forgotten")); }

  function write(doc) {
    if (!storage) return false;
    try {
      storage.setItem(KEY, JSON.stringify(doc));
    } catch (e) {
      return false; // full or refused: what was kept before stays
    }
    changed();
    return true;
  }

  // Read, change, write back at once: another tab's changes in between are not lost.
  function update(change) {
    var doc = read();
    change(doc);
    return write(doc);
  }

  function count(obj) { return obj ? Object.keys(obj).length : 0; }

  var api = {
    available: storage !== null,
    page: pageOf(location.href),
    pageOf: pageOf,
    read: read,
    onChange: function (cb) { listeners.push(cb); },

    answers: function (page) { return read().answers[page] || {}; },
    saveAnswer: function (page, question, record) {
      return update(function (doc) {
        doc.answers[page] = doc.answers[page] || {};
        doc.answers[page][question] = record;
      });
    },

    widget: function (page, name, check) {
      var r = (read().widgets[page] || {})[name];
      return r && r.check === check ? r.state : null;
    },
    saveWidget: function (page, name, check, state) {
      return update(function (doc) {
        doc.widgets[page] = doc.widgets[page] || {};
        doc.widgets[page][name] = { check: check, state: state };
      });
    },
    forgetWidget: function (page, name) {
      return update(function (doc) { if (doc.widgets[page]) delete doc.widgets[page][name]; });
    },

    forgetPage: function (page) {
      var done = update(function (doc) { delete doc.answers[page]; delete doc.widgets[page]; });
      if (done) forgotten();
      return done;
    },
    forgetAll: function () {
      if (!storage) return false;
      try { storage.removeItem(KEY); } catch (e) { return false; }
      changed();
      forgotten();
      return true;
    },
    exportText: function () { return JSON.stringify(read(), null, 1) + "\n"; },
    // Adds what a file holds; where both have an answer to the same question, the file's is kept.
    importText: function (text) {
      var doc;
      try { doc = clean(JSON.parse(text)); } catch (e) { doc = null; }
      if (!doc) return false;
      return update(function (mine) {
        Object.keys(doc.opened).forEach(function (p) { mine.opened[p] = 1; });
        ["answers", "widgets"].forEach(function (part) {
          Object.keys(doc[part]).forEach(function (p) {
            mine[part][p] = Object.assign(mine[part][p] || {}, doc[part][p]);
          });
        });
      });
    },
    summary: function (page) {
      var doc = read();
      var answers = doc.answers[page] || {};
      var right = Object.keys(answers).filter(function (q) { return answers[q].result === "right"; }).length;
      return { opened: Boolean(doc.opened[page]), answered: count(answers), right: right, widgets: count(doc.widgets[page]) };
    },
  };
  window.courseProgress = api;

  // Another tab changed what is kept: pages that show it show the change.
  window.addEventListener("storage", function (event) { if (event.key === KEY || event.key === null) changed(); });

  // ---- Shown on the pages ------------------------------------------------------------------

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // Ask before forgetting: a second button says exactly what goes; "Keep them" does nothing.
  function confirmButton(label, question, confirmLabel, action, status) {
    var box = el("div", { "class": "cp-confirm" });
    var start = el("button", { type: "button", "class": "cp-button" }, label);
    var ask = el("div", { "class": "cp-ask", role: "group", "aria-label": label });
    ask.hidden = true;
    var p = el("p", {}, question);
    var yes = el("button", { type: "button", "class": "cp-button cp-danger" }, confirmLabel);
    var no = el("button", { type: "button", "class": "cp-button" }, "Keep them");
    ask.append(p, yes, no);
    box.append(start, ask);
    start.addEventListener("click", function () { start.hidden = true; ask.hidden = false; no.focus(); });
    no.addEventListener("click", function () { ask.hidden = true; start.hidden = false; start.focus(); });
    yes.addEventListener("click", function () {
      var done = action();
      ask.hidden = true;
      start.hidden = false;
      start.focus();
      status.textContent = done ? "Forgotten. Nothing about this is kept in this browser any more."
        : "This browser did not let the site change what it keeps.";
    });
    return box;
  }

  // On a page with self-check questions: what is kept for this page, and a way to forget it.
  function pagePanel(set) {
    var page = api.page;
    var panel = el("aside", { "class": "cp-panel", "aria-label": "Your answers on this page" });
    var line = el("p", { "class": "cp-panel-summary" });
    var status = el("p", { "class": "cp-status", role: "status", "aria-live": "polite" });
    var about = el("p", {}, "Your answers on this page are kept in this browser only, so you can come back to them.");
    var where = document.querySelector('meta[name="course-progress-page"]');
    if (where) {
      about.append(" ", el("a", { href: where.getAttribute("content") }, "Your progress"),
        " lists all of them, and lets you save them to a file.");
    }
    var questions = document.querySelectorAll(".self-check-set form.self-check").length;
    function show() {
      var s = api.summary(page);
      line.textContent = s.answered
        ? "You have answered " + plural(s.answered, "question", "questions") + " of " + questions + " here; " +
          s.right + " right when you last checked."
        : "You have not answered any question here yet.";
    }
    panel.append(line, about, confirmButton("Forget my answers on this page",
      "Forget every answer you gave on this page? They cannot be brought back, unless you saved them to a file.",
      "Yes, forget them", function () { return api.forgetPage(page); }, status), status);
    set.parentNode.insertBefore(panel, set);
    show();
    api.onChange(show);
  }

  // The "Your progress" page: lists filled in from what is kept, and the actions.
  function progressPage() {
    var doc;
    function fill() {
      doc = read();
      var opened = 0;
      var pageItems = document.querySelectorAll("[data-progress-list=pages] [data-page]");
      Array.prototype.forEach.call(pageItems, function (li) {
        var seen = Boolean(doc.opened[li.getAttribute("data-page")]);
        if (seen) opened += 1;
        li.querySelector(".cp-mark").textContent = seen ? "opened" : "not yet";
        li.classList.toggle("cp-opened", seen);
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-progress-summary=pages]"), function (p) {
        p.textContent = "You have opened " + opened + " of " + pageItems.length + " pages.";
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-progress-list=self-check] [data-page]"), function (row) {
        var s = api.summary(row.getAttribute("data-page"));
        row.querySelector(".cp-answered").textContent = String(s.answered);
        row.querySelector(".cp-right").textContent = String(s.right);
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-progress-list=case-studies] [data-page]"), function (li) {
        var s = api.summary(li.getAttribute("data-page"));
        li.querySelector(".cp-mark").textContent = s.widgets ? "your inputs are kept" : "as the page gives them";
      });
    }
    fill();
    api.onChange(fill);

    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-actions]"), function (box) {
      var status = box.querySelector(".cp-status");
      box.querySelector(".cp-export").addEventListener("click", function () {
        var blob = new Blob([api.exportText()], { type: "application/json" });
        var a = el("a", { href: URL.createObjectURL(blob), download: "course-progress.json" });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
        status.textContent = "Your progress is saved to the file course-progress.json, in your downloads.";
      });
      var input = box.querySelector(".cp-import");
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        file.text().then(function (text) {
          status.textContent = api.importText(text)
            ? "Your progress is read from " + file.name + " and kept in this browser."
            : "This file is not a progress file from this course, so nothing was changed.";
          input.value = "";
        });
      });
      box.querySelector(".cp-forget-all").append(confirmButton("Forget my answers",
        "Forget everything this site keeps in this browser: the pages you opened, your self-check answers and " +
        "your case-study inputs? It cannot be brought back, unless you saved it to a file.",
        "Yes, forget everything", api.forgetAll, status));
    });
  }

  function init() {
    if (!storage) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-progress-unavailable]"), function (p) { p.hidden = false; });
      return;
    }
    update(function (doc) { doc.opened[api.page] = 1; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-needs-script]"), function (e) { e.hidden = false; });
    var set = document.querySelector(".self-check-set");
    if (set) pagePanel(set);
    if (document.querySelector("[data-progress-list], [data-progress-actions]")) progressPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
}());
