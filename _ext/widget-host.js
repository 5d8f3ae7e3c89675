// The course site's widget host: renders the anywidget views saved in a page, with no
// kernel, no widget manager and no request beyond the page itself.
//
// An anywidget front-end module needs only an element and a model with get, set, on, off,
// save_changes and send (anywidget's documented contract). On a static page there is no
// Python to sync with, so the model keeps its state in the page: the interaction lives in
// the module, which is what makes the case studies work for a reader without Python.
// Copied by _ext/widget_host.py into _static/widgets/.
(function () {
  "use strict";

  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const NEEDS_PYTHON = "This interactive part needs Python (a Jupyter kernel) and does not run on this page.";

  function same(a, b) {
    return a === b || JSON.stringify(a) === JSON.stringify(b);
  }

  class PageModel {
    constructor(state) {
      this.state = Object.assign({}, state);
      this.handlers = [];
    }
    get(name) {
      return this.state[name];
    }
    // As in Backbone, which the Jupyter model builds on: listeners hear of a change at once.
    set(name, value) {
      if (same(this.state[name], value)) return;
      this.state[name] = value;
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
    save_changes() {} // nothing to save to: the state lives in the page
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
    const started = new Map(); // model id -> {model, widget}, shared by every view of a model
    for (const view of document.querySelectorAll(VIEW)) {
      const box = document.createElement("div");
      box.className = "widget-subarea";
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
          running = { model: new PageModel(entry.state), widget: await loadModule(entry.state._esm) };
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
        if (typeof running.widget.render === "function") await running.widget.render({ model: running.model, el });
      } catch (e) {
        message(box, "This interactive part could not start in this browser.");
        console.error("widget-host:", e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
})();
