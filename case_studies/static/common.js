// Shared by the case-study widgets: case_studies/widget.py puts this before each
// widget's own script, making one ES module (anywidget loads a single module).

let csCounter = 0;
/** A page-unique id: several widgets (or one widget twice) may share a page. */
function csId(prefix) {
  csCounter += 1;
  return `cs-${prefix}-${csCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Create an element: h("p", {class: "x", text: "hi"}, child, ...). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** US-style grouping, two decimals: the same text Python gives with f"{x:,.2f}" (ties aside);
 * with a currency, as common.quantity writes it: "US$ 1,500.00" (a no-break space), "−EUR 200.00". */
function csMoney(x, unit) {
  const text = Math.abs(x).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const sign = x < 0 && text !== "0.00" ? "\u2212" : ""; // a minus sign, before the currency
  return unit ? `${sign}${unit}\u00a0${text}` : `${sign}${text}`; // no break between the currency and its amount
}

/** A number for people: grouped, at most `digits` decimals, no trailing zeros ("30.44", "1,500"). */
function csFigure(x, digits = 2) {
  return x.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/**
 * An amount with its unit, as a person writes it: "US$ 7.15", "1.5×", "15 hours", "1 day".
 * `currency` is the case's currency, shown with cents; other units follow the number.
 */
function csQuantity(x, unit, currency) {
  if (unit && unit === currency) return csMoney(x, unit);
  if (unit === "×") return `${csFigure(x)}×`;
  if (!unit) return csFigure(x);
  return `${csFigure(x)}\u00a0${x === 1 && unit.endsWith("s") ? unit.slice(0, -1) : unit}`;
}

/**
 * Give a table's parts their roles explicitly: a table styled as stacked cards (class
 * cs-stack, common.css) is display:block on a narrow screen, and a browser may then drop its
 * table semantics; with the roles, a screen reader still reads rows, headers and cells.
 */
function csTableRoles(table) {
  table.setAttribute("role", "table");
  for (const part of table.querySelectorAll("thead, tbody")) part.setAttribute("role", "rowgroup");
  for (const tr of table.querySelectorAll("tr")) tr.setAttribute("role", "row");
  for (const th of table.querySelectorAll("th")) th.setAttribute("role", th.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
  for (const td of table.querySelectorAll("td")) td.setAttribute("role", "cell");
  return table;
}

/** A folded "How this is worked out" (or other) part: a <details> with its summary. */
function csFolded(summary, cls, ...children) {
  return h("details", { class: cls }, h("summary", { text: summary }), ...children);
}

/** A labelled input with its note; returns {wrap, input}. The note is the input's description. */
function csField(spec, value, onChange) {
  const id = csId(spec.id);
  const noteId = `${id}-note`;
  const type = spec.type === "date" ? "date" : spec.type === "boolean" ? "checkbox" : "number";
  const input = h("input", {
    id,
    type,
    "aria-describedby": spec.note ? noteId : undefined,
    min: spec.min,
    max: spec.max,
    step: spec.step,
    inputmode: type === "number" ? "decimal" : undefined,
    "data-field": spec.id,
  });
  if (type === "checkbox") input.checked = Boolean(value);
  else input.value = value;
  input.addEventListener(type === "checkbox" ? "change" : "input", () =>
    onChange(type === "checkbox" ? input.checked : type === "number" ? input.value : input.value),
  );
  const label = h("label", { for: id }, spec.label, spec.unit && type === "number" ? ` (${spec.unit})` : "");
  const wrap = h(
    "div",
    { class: `cs-field cs-field-${type}` },
    type === "checkbox" ? [input, label] : [label, input],
    spec.note ? h("p", { class: "cs-note", id: noteId, text: spec.note }) : null,
  );
  return { wrap, input };
}

// The same text common.py's NUMBER_TEXT accepts (so "0x10" or "1_000" is refused in both).
const CS_NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Bounds as the fix to a message, as common.allowed: "enter a number from 0 to 24". */
function csAllowed(spec, what = "a number") {
  const lo = spec.min !== undefined && spec.min !== null ? spec.min : null;
  const hi = spec.max !== undefined && spec.max !== null ? spec.max : null;
  if (lo !== null && hi !== null) return `enter ${what} from ${lo} to ${hi}`;
  if (lo !== null) return `enter ${what} of ${lo} or more`;
  if (hi !== null) return `enter ${what} of ${hi} or less`;
  return `enter ${what}`;
}

/** The label a field's messages start with: "First victim (aged 53) — Hours worked per day". */
function csLabel(spec, who) {
  return who ? `${who} — ${spec.label}` : spec.label;
}

/**
 * Parse a number field the way the Python model does (common.number), with the same
 * messages: which field, what is wrong with the value, how to fix it. Empty or junk is an
 * error, not zero.
 */
function csNumber(raw, spec, who) {
  const label = csLabel(spec, who);
  const fix = csAllowed(spec);
  const text = raw === undefined || raw === null ? "" : String(raw).trim();
  if (text === "") return { error: `${label}: nothing is entered; ${fix}.` };
  if (typeof raw === "boolean") return { error: `${label}: ${raw ? "True" : "False"} is a yes/no value, not a number; ${fix}.` };
  const x = CS_NUMBER_TEXT.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(x)) return { error: `${label}: "${text}" is not a number; ${fix}.` };
  if (spec.min !== undefined && spec.min !== null && x < spec.min) return { error: `${label}: ${x} is less than ${spec.min}; ${fix}.` };
  if (spec.max !== undefined && spec.max !== null && x > spec.max) return { error: `${label}: ${x} is more than ${spec.max}; ${fix}.` };
  return { value: x };
}

/** Days from an ISO date (UTC, so no time-zone or daylight-saving drift). */
function csDay(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!m) return NaN;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(t);
  if (d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) return NaN;
  return t / 86400000;
}

/**
 * The messages that name this input's field: "<label>: ..." (after "<victim> — " for a field in
 * a victim's fieldset), as csNumber and the tools' checks write them.
 */
function csMessagesFor(input, list) {
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (!label) return [];
  const base = label.textContent.replace(/\s*\([^)]*\)\s*$/, "").trim();
  const box = input.closest("fieldset[data-victim]");
  const legend = box && box.querySelector("legend") ? box.querySelector("legend").textContent.trim() : null;
  return list.filter((m) => (legend ? m.startsWith(`${legend} — ${base}:`) : m.startsWith(`${base}:`)));
}

/**
 * The widget's frame: a heading-less region with a polite live region for results,
 * an alert area for input errors and a print-only summary.
 */
function csFrame(el, name, title) {
  const titleId = csId("title");
  const root = h("section", { class: `cs-widget cs-${name}`, "aria-labelledby": titleId });
  const heading = h("p", { class: "cs-title", id: titleId, text: title });
  const errors = h("div", { class: "cs-errors", role: "alert" });
  const live = h("div", { class: "cs-live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const print = h("div", { class: "cs-print-summary" });
  root.append(heading, errors, live);
  el.append(root);
  return {
    root,
    /**
     * Show input problems (or clear them); the alert role announces them. On a phone the list
     * at the top of the tool can be a screen away from the field, so each message is also put
     * under the field it names (marked aria-invalid), and the results it holds back say why.
     */
    showErrors(list) {
      errors.replaceChildren(...(list.length ? [h("ul", {}, list.map((m) => h("li", { text: m })))] : []));
      root.classList.toggle("cs-has-errors", list.length > 0);
      for (const old of root.querySelectorAll(".cs-field-error, .cs-not-updated")) old.remove();
      for (const input of root.querySelectorAll("input[aria-invalid]")) {
        input.removeAttribute("aria-invalid");
        const kept = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && !x.endsWith("-error"));
        if (kept.length) input.setAttribute("aria-describedby", kept.join(" ")); else input.removeAttribute("aria-describedby");
      }
      if (!list.length) return;
      for (const input of root.querySelectorAll("input[data-field]")) {
        const named = csMessagesFor(input, list);
        if (!named.length) continue;
        const id = `${input.id}-error`;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
        input.closest(".cs-field").append(h("p", { class: "cs-field-error", id, text: named.join(" ") }));
      }
      const n = list.length;
      for (const results of root.querySelectorAll(".cs-results")) {
        results.before(h("p", { class: "cs-not-updated",
          text: `Not updated: ${n === 1 ? "one entry needs" : `${n} entries need`} correcting (see the message${n === 1 ? "" : "s"} in red above).` }));
      }
    },
    /** Announce a short result sentence to screen readers (and show it). */
    announce(text) {
      if (live.textContent !== text) live.textContent = text;
    },
    /** Replace the printed summary: a heading and lines of plain text. */
    printSummary(lines) {
      print.replaceChildren(h("p", { class: "cs-print-title", text: `${title}: summary` }), h("ul", {}, lines.map((l) => h("li", { text: l }))));
    },
    finish() {
      root.append(print);
    },
  };
}
