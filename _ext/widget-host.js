// The course site's widget host: renders the anywidget views saved in a page, with no
// kernel, no widget manager and no request beyond the page itself.
//
// An anywidget front-end module needs only an element and a model with get, set, on, off,
// save_changes and send (anywidget's documented contract). On a static page there is no
// Python to sync with, so the model keeps its state in the page: the interaction lives in
// the module, which is what makes the case studies work for a reader without Python.
// On the course site the reader's inputs (what the front end sets and saves) are kept in this
// browser by progress.js and put back when the page is opened again, unless the widget has
// changed since. Copied by _ext/widget_host.py into _static/widgets/.
(function () {
  "use strict";

  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const NEEDS_PYTHON = "This interactive part needs Python (a Jupyter kernel) and does not run on this page.";

  function same(a, b) {
    return a === b || JSON.stringify(a) === JSON.stringify(b);
  }

  // Kept inputs (progress.js): per page, per widget ("<module>#<n>"), with a fingerprint of the
  // widget as built, so inputs are never put into a widget that has changed.
  const progress = window.courseProgress && window.courseProgress.available ? window.courseProgress : null;
  function fingerprint(state) {
    const text = JSON.stringify(state);
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16);
  }

  class PageModel {
    constructor(state, keep) {
      this.state = Object.assign({}, state);
      this.handlers = [];
      this.keep = keep || null; // {name, check, saved}: where save_changes keeps the inputs
      this.changed = new Set();
      if (this.keep && this.keep.saved) Object.assign(this.state, this.keep.saved);
    }
    get(name) {
      return this.state[name];
    }
    // As in Backbone, which the Jupyter model builds on: listeners hear of a change at once.
    set(name, value) {
      if (same(this.state[name], value)) return;
      this.state[name] = value;
      this.changed.add(name);
      this.emit("change:" + name, value);
      this.emit("change", value);
    }
    on(event, callback) {
      this.handlers.push([event, callback]);
    }
    off(event, callback) {
      this.handlers = this.handlers.filter(([e, c]) => (event && e !== event) || (callback && c !== callback));
    }
    emit(event, value) {
      for (const [e, c] of this.handlers.slice()) if (e === event) c(value);
    }
    // No kernel to save to: the inputs set since the page opened are kept in the browser.
    save_changes() {
      if (!this.keep || !this.changed.size) return;
      const saved = Object.assign({}, this.keep.saved);
      for (const name of this.changed) saved[name] = this.state[name];
      this.keep.saved = saved;
      progress.saveWidget(progress.page, this.keep.name, this.keep.check, saved);
    }
    send() {} // no kernel to receive messages
    get widget_manager() {
      return { get_model: () => Promise.reject(new Error("no widget manager on a static page")) };
    }
  }

  async function loadModule(esm) {
    const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
    try {
      const mod = await import(url);
      const widget = mod.default !== undefined ? mod.default : mod;
      return typeof widget === "function" ? await widget() : widget;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  // A layout model's CSS properties (width, margin...), as the notebook would apply them.
  function applyLayout(el, saved, ref) {
    const id = typeof ref === "string" && ref.startsWith("IPY_MODEL_") ? ref.slice(10) : null;
    const layout = id && saved[id] ? saved[id].state : {};
    for (const [key, value] of Object.entries(layout)) {
      if (!key.startsWith("_") && value !== null && value !== undefined && value !== "") {
        el.style.setProperty(key.replace(/_/g, "-"), value);
      }
    }
  }

  // The theme paints notebook outputs in dark mode as a light card (for images and plots drawn
  // for white paper). A course widget follows the theme's own colours, so its box stays clear.
  const HOST_CSS = "html[data-theme] .bd-content div.cell_output .widget-subarea.widget-host," +
    "html[data-theme] .bd-content .widget-subarea.widget-host{background:transparent;padding:0;color:inherit;border-radius:0}";
  function hostStyle() {
    if (document.getElementById("widget-host-style")) return;
    const style = document.createElement("style");
    style.id = "widget-host-style";
    style.textContent = HOST_CSS;
    document.head.append(style);
  }

  function message(box, text) {
    const p = document.createElement("p");
    p.className = "widget-host-message";
    p.textContent = text;
    box.replaceChildren(p);
  }

  async function renderAll() {
    const stateScript = document.querySelector(STATE);
    if (!stateScript) return;
    const saved = JSON.parse(stateScript.textContent).state || {};
    hostStyle();
    const started = new Map(); // model id -> {model, widget}, shared by every view of a model
    const seen = new Map(); // widget module -> how many of its models so far: "<module>#<n>"
    for (const view of document.querySelectorAll(VIEW)) {
      const box = document.createElement("div");
      box.className = "widget-subarea widget-host";
      view.before(box);
      let modelId;
      try {
        modelId = JSON.parse(view.textContent).model_id;
      } catch (e) {
        message(box, NEEDS_PYTHON);
        continue;
      }
      const entry = saved[modelId];
      if (!entry || entry.model_module !== "anywidget" || typeof entry.state._esm !== "string") {
        message(box, NEEDS_PYTHON);
        continue;
      }
      try {
        let running = started.get(modelId);
        if (!running) {
          let keep = null;
          if (progress) {
            const module = entry.state._anywidget_id || entry.model_name;
            seen.set(module, (seen.get(module) || 0) + 1);
            const name = `${module}#${seen.get(module)}`;
            const check = fingerprint(entry.state);
            keep = { name, check, saved: progress.widget(progress.page, name, check) };
          }
          running = { model: new PageModel(entry.state, keep), widget: await loadModule(entry.state._esm) };
          if (typeof running.widget.initialize === "function") await running.widget.initialize({ model: running.model });
          started.set(modelId, running); // only once initialized: a failed start is tried again, not reused
          if (entry.state._css) {
            const style = document.createElement("style");
            style.textContent = entry.state._css;
            document.head.append(style);
          }
        }
        const el = document.createElement("div");
        el.classList.add(...(entry.state._dom_classes || []));
        applyLayout(el, saved, entry.state.layout);
        box.append(el);
        if (typeof running.widget.render === "function") {
          try {
            await running.widget.render({ model: running.model, el });
          } catch (e) {
            const keep = running.model.keep;
            if (!keep || !keep.saved) throw e;
            // Kept inputs this widget cannot take: forgotten, and the widget as built instead.
            progress.forgetWidget(progress.page, keep.name);
            keep.saved = null;
            el.replaceChildren();
            running.model.state = Object.assign({}, entry.state);
            await running.widget.render({ model: running.model, el });
          }
        }
      } catch (e) {
        message(box, "This interactive part could not start in this browser.");
        console.error("widget-host:", e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
})();
