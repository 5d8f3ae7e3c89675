// Keyboard walk helpers, evaluated in the page by test_pages.py.  Defines window.__kbd.
// prepare(): list the page's interactive controls (the ones a keyboard user must reach),
//   snapshot their unfocused look, and record every element that gets keyboard focus.
// report(): which controls were reached, which were not, and which showed no focus indicator.
(() => {
  if (window.__kbd) return;
  const CONTROLS = [
    "a[href]", "area[href]", "button", "input:not([type=hidden])", "select", "textarea",
    "details > summary:first-of-type", "iframe", "[contenteditable='']", "[contenteditable='true']",
    "[tabindex]:not([tabindex^='-'])",
    // ARIA widgets must be focusable; one that is not is a keyboard failure, so it is listed too.
    "[role=button]", "[role=link]", "[role=checkbox]", "[role=radio]", "[role=switch]", "[role=slider]",
    "[role=spinbutton]", "[role=combobox]", "[role=textbox]", "[role=tab]", "[role=menuitem]", "[role=option]",
    "[role=searchbox]", "[role=treeitem]",
  ].join(",");

  const rendered = (el) => {
    if (el.closest("[inert]")) return false;
    if (el.disabled || el.getAttribute("aria-disabled") === "true") return false;
    if (!el.getClientRects().length) return false; // display:none
    // Inside a closed <details> (content-visibility: hidden in Chromium), except its own summary.
    const closed = el.closest("details:not([open])");
    if (closed && !(el.tagName === "SUMMARY" && el.parentElement === closed)) return false;
    if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) return false;
    return getComputedStyle(el).visibility === "visible";
  };

  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].slice(0, 3).join(".") : "";
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").replace(/\s+/g, " ").trim().slice(0, 50);
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };

  const parseColor = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const luminance = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The opaque colour behind an element: the first ancestor background that is not transparent.
  const backdrop = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parseColor(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return parseColor(getComputedStyle(document.documentElement).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 };
  };

  const look = (el) => {
    const cs = getComputedStyle(el);
    return {
      outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1 && (parseColor(cs.outlineColor) || { a: 1 }).a > 0
        ? { color: cs.outlineColor, width: parseFloat(cs.outlineWidth) } : null,
      boxShadow: cs.boxShadow,
      border: [cs.borderTopColor, cs.borderRightColor, cs.borderBottomColor, cs.borderLeftColor, cs.borderTopWidth, cs.borderBottomWidth].join(" "),
      background: cs.backgroundColor,
      color: cs.color,
      decoration: cs.textDecorationLine + " " + cs.textDecorationThickness,
    };
  };
  // The element and what may carry its indicator: its labels (visually hidden inputs), its first
  // child elements (an icon inside a summary), its parent and grandparent (:focus-within rings).
  const carriers = (el) => {
    const list = [el, ...(el.labels ? [...el.labels] : []), ...[...el.children].slice(0, 2)];
    if (el.parentElement) list.push(el.parentElement);
    if (el.parentElement && el.parentElement.parentElement) list.push(el.parentElement.parentElement);
    return list;
  };

  // Tab enters a radio group or a composite ARIA widget once (roving focus; arrows move inside):
  // a member counts as reached when any member of its group was.
  const COMPOSITES = "[role=radiogroup],[role=tablist],[role=listbox],[role=menu],[role=menubar],[role=tree],[role=grid],[role=toolbar]";
  const groupOf = (el) => {
    if (el.matches("input[type=radio]") && el.name) {
      const scope = el.form || el.getRootNode();
      return [...scope.querySelectorAll("input[type=radio]")].filter((r) => r.name === el.name)[0];
    }
    if (el.matches("[role=radio],[role=tab],[role=option],[role=menuitem],[role=treeitem]")) {
      return el.closest(COMPOSITES) || el;
    }
    return el;
  };

  const state = {
    controls: [], index: new Map(), unfocused: new Map(), focused: new Map(), order: [], others: [],
  };

  window.__kbd = {
    prepare() {
      // Freeze transitions so a focus ring is read at its final state.
      const style = document.createElement("style");
      style.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
      document.head.appendChild(style);
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      for (const el of document.querySelectorAll(CONTROLS)) {
        if (!rendered(el) || state.index.has(el)) continue;
        state.index.set(el, state.controls.length);
        state.controls.push(el);
        state.unfocused.set(el, carriers(el).map(look));
      }
      document.addEventListener("focusin", (event) => {
        const el = event.composedPath ? event.composedPath()[0] : event.target;
        const target = el instanceof Element ? el : event.target;
        if (!state.index.has(target)) {
          state.others.push(target);
          state.index.set(target, -1 - state.others.length);
          state.unfocused.set(target, null);
        }
        state.order.push(state.index.get(target));
        if (!state.focused.has(target)) {
          state.focused.set(target, { looks: carriers(target).map(look), visible: target.matches(":focus-visible") });
        }
      }, true);
      return state.controls.length;
    },
    progress() {
      const groups = new Set(state.controls.map(groupOf));
      const reachedGroups = new Set(state.order.filter((i) => i >= 0).map((i) => groupOf(state.controls[i])));
      const reached = { size: reachedGroups.size };
      const first = state.order[0];
      const wrapped = state.order.length > 2 && state.order.indexOf(first, 1) > 0;
      return { reached: reached.size, total: groups.size, steps: state.order.length, wrapped };
    },
    report() {
      const reachedGroups = new Set([...state.focused.keys()].map(groupOf));
      const unreached = state.controls.filter((el) => !state.focused.has(el) && !reachedGroups.has(groupOf(el))).map(describe);
      const noIndicator = [];
      const lowContrast = [];
      for (const [el, f] of state.focused) {
        const before = state.unfocused.get(el) || carriers(el).map(() => null);
        let shown = false;
        f.looks.forEach((now, i) => {
          const was = before[i];
          if (now.outline && (!was || !was.outline || was.outline.color !== now.outline.color || was.outline.width !== now.outline.width)) {
            shown = true;
            const ratio = contrast(parseColor(now.outline.color) || { r: 0, g: 0, b: 0 }, backdrop(carriers(el)[i]));
            if (ratio < 3) lowContrast.push(`${describe(el)} outline ${now.outline.color} ${ratio.toFixed(2)}:1`);
          } else if (was && (now.boxShadow !== was.boxShadow || now.border !== was.border ||
                             now.background !== was.background || now.decoration !== was.decoration)) {
            shown = true;
          }
        });
        if (!shown) noIndicator.push(describe(el));
      }
      return {
        total: state.controls.length,
        reached: state.controls.length - unreached.length,
        steps: state.order.length,
        unreached, noIndicator, lowContrast,
        extra: state.others.map(describe),
      };
    },
  };
})();
