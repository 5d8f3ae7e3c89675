/* Self-check questions on the course site: no kernel, no network, no storage.
 * Each <form class="self-check"> carries its answer in data-* attributes (self-check items
 * only; graded items are never rendered). The citation reader mirrors protocol/citations.py;
 * tests/exercises/test_selfcheck_js.py runs both on the same inputs so they cannot drift. */
(function () {
  "use strict";

  var NOISE = ["art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs",
    "sub", "subpara", "subparagraph", "point", "points", "letter", "lit", "no",
    "of", "the", "protocol", "trafficking", "in", "persons"];

  /* Return {id: "6(3)(b)"} or {error: "..."}; `known` is the list of canonical ids. */
  function parseCitation(text, known) {
    var tokens = (String(text).toLowerCase().match(/\d+|[^\W\d_]+/gu) || []).filter(function (t) {
      return NOISE.indexOf(t) < 0;
    });
    var unreadable = { error: "This is not a citation we can read: write an article and paragraph, such as 6(3)(b) or article 8(2)." };
    if (!tokens.length) { return unreadable; }
    var numbers = tokens.filter(function (t) { return /^\d+$/.test(t); });
    var letters = tokens.filter(function (t) { return !/^\d+$/.test(t); });
    if (!/^\d+$/.test(tokens[0]) || numbers.length > 2 || letters.length > 1 ||
        (letters.length && tokens[tokens.length - 1] !== letters[0])) { return unreadable; }
    var article = parseInt(numbers[0], 10);
    var articles = [];
    known.forEach(function (id) { var a = parseInt(id, 10); if (articles.indexOf(a) < 0) { articles.push(a); } });
    if (articles.indexOf(article) < 0) {
      return { error: "Article " + article + " is not covered by this module (it covers articles " + articles.join(", ") + ")." };
    }
    var paragraph = numbers.length > 1 ? parseInt(numbers[1], 10) : null;
    var letter = letters.length ? letters[0] : null;
    if (article === 14) {
      if ((paragraph === null || paragraph === 1) && letter === null) { return { id: "14" }; }
      return { error: "The module quotes article 14 as a single savings clause: write article 14." };
    }
    if (paragraph === null) { return { error: "Cite a paragraph of article " + article + ", such as " + article + "(1)." }; }
    var pid = article + "(" + paragraph + ")";
    if (known.indexOf(pid) < 0) { return { error: "Article " + article + " has no paragraph " + paragraph + "." }; }
    if (letter === null) { return { id: pid }; }
    if (known.indexOf(pid + "(" + letter + ")") < 0) { return { error: "Article " + pid + " has no point (" + letter + ")." }; }
    return { id: pid + "(" + letter + ")" };
  }

  /* "6.7", "6,7", "1 200", "1,200", "$9,000" -> number, or NaN. */
  function parseNumber(text) {
    var s = String(text).trim().replace(/^[^\d.,-]+|[^\d.,]+$/g, "").replace(/[\s\u00a0]/g, "");
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) { s = s.replace(/,/g, ""); }
    else if (/^-?\d+,\d+$/.test(s)) { s = s.replace(",", "."); }
    return /^-?(\d+\.?\d*|\.\d+)$/.test(s) ? parseFloat(s) : NaN;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function feedback(form, key) {
    return form.querySelector('.sc-fb[data-key="' + key + '"]');
  }

  function show(form, verdict, ok, keys, labels) {
    var out = form.querySelector(".sc-result");
    out.textContent = "";
    out.className = "sc-result " + (ok === true ? "sc-right" : ok === false ? "sc-wrong" : "sc-info");
    var p = el("p", "sc-verdict");
    p.appendChild(el("strong", null, verdict));
    out.appendChild(p);
    (keys || []).forEach(function (key, i) {
      var fb = feedback(form, key);
      if (!fb) { return; }
      var box = el("div", "sc-fb-shown");
      if (labels && labels[i]) { box.appendChild(el("p", "sc-fb-label", labels[i])); }
      var copy = fb.cloneNode(true);
      copy.removeAttribute("hidden");
      copy.removeAttribute("data-key");
      box.appendChild(copy);
      out.appendChild(box);
    });
  }

  function labelOf(form, input) {
    var l = form.querySelector('label[for="' + input.id + '"]');
    return l ? l.textContent.trim() : "";
  }

  var checkers = {
    single: function (form) {
      var chosen = form.querySelector("input:checked");
      if (!chosen) { return show(form, "Choose an answer first.", null); }
      var ok = chosen.getAttribute("data-correct") === "true";
      show(form, ok ? "Correct." : "Not quite.", ok, [chosen.value]);
    },
    truefalse: function (form) {
      var chosen = form.querySelector("input:checked");
      if (!chosen) { return show(form, "Choose True or False first.", null); }
      var ok = chosen.getAttribute("data-correct") === "true";
      show(form, ok ? "Correct." : "Not quite.", ok, [ok ? "correct" : "incorrect"]);
    },
    multiple: function (form) {
      var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
      if (!inputs.some(function (i) { return i.checked; })) { return show(form, "Select at least one answer first.", null); }
      var keys = [], labels = [], ok = true;
      inputs.forEach(function (i) {
        var right = i.getAttribute("data-correct") === "true";
        if (i.checked !== right) { ok = false; }
        if (i.checked || right) {
          keys.push(i.value);
          labels.push((i.checked ? "You selected: " : "You did not select: ") + labelOf(form, i));
        }
      });
      show(form, ok ? "Correct: you selected exactly the right answers." : "Not quite. Feedback on each answer:", ok, keys, labels);
    },
    numeric: function (form) {
      var input = form.querySelector("input[type=text]");
      var x = parseNumber(input.value);
      if (isNaN(x)) { return show(form, "Enter a number, for example 6.7 or 1200.", null); }
      var v = parseFloat(input.getAttribute("data-value"));
      var tol = parseFloat(input.getAttribute("data-tolerance"));
      var ok = Math.abs(x - v) <= tol + 1e-9 * Math.max(1, Math.abs(v));
      show(form, ok ? "Correct." : "Not quite.", ok, [ok ? "correct" : "incorrect"]);
    },
    citation: function (form) {
      var input = form.querySelector("input[type=text]");
      var known = JSON.parse(form.closest(".self-check-set").getAttribute("data-provisions"));
      var r = parseCitation(input.value, known);
      if (r.error) { return show(form, r.error, null); }
      var ok = input.getAttribute("data-accept").split(" ").indexOf(r.id) >= 0;
      show(form, (ok ? "Correct: " : "Not quite: you cited ") + "article " + r.id + ".", ok, [ok ? "correct" : "incorrect"]);
    },
    matching: function (form) {
      var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
      if (selects.some(function (s) { return !s.value; })) { return show(form, "Choose an answer for every line first.", null); }
      var wrong = selects.filter(function (s) { return s.value !== s.getAttribute("data-answer"); });
      var ok = wrong.length === 0;
      var keys = [ok ? "correct" : "incorrect"], labels = [""];
      wrong.forEach(function (s) { keys.push(s.getAttribute("data-key")); labels.push("Not right yet: " + labelOf(form, s)); });
      show(form, ok ? "Correct: every line is right." : (selects.length - wrong.length) + " of " + selects.length + " right.", ok, keys, labels);
    }
  };
  checkers.ordering = checkers.matching;

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.self-check"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var check = checkers[form.getAttribute("data-type")];
        if (check) { check(form); }
      });
    });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { parseCitation: parseCitation, parseNumber: parseNumber };
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  }
}());
