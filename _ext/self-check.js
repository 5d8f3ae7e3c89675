/* Self-check questions on the course site: no kernel, no network.
 * Each <form class="self-check"> carries its answer in data-* attributes (self-check items
 * only; graded items are never rendered). A checked answer, right or wrong, shows the item's
 * feedback, then why (.sc-why: the reason, and the module passage it rests on), all in the
 * form's live region. On the course site the reader's answers and the last result are kept in
 * this browser by progress.js (window.courseProgress), and put back when the page is opened
 * again, unless the question has changed since. The citation reader mirrors
 * protocol/citations.py (same reading: ASCII, the paragraph signs and no-break spaces; same
 * messages); tests/exercises/test_self_check_pages.py runs both on the same inputs,
 * hypothesis-generated ones included, so they cannot drift. */
(function () {
  "use strict";

  var NOISE = ["art", "arts", "article", "articles", "para", "paras", "paragraph", "paragraphs", "par", "pars",
    "abs", "al", "sub", "subpara", "subparas", "subparagraph", "subparagraphs", "point", "points",
    "letter", "lit", "litt", "let", "lett", "no",
    "of", "the", "protocol", "trafficking", "in", "persons"];
  var EXAMPLE = "such as '6(3)(b)'";
  var ROMAN_VALUES = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9 };

  /* A paragraph in Roman numerals right after the article ("6(III)(b)"), as _roman_paragraph in
   * protocol/citations.py reads it: the tokens with its number, or {error}. */
  function romanParagraph(tokens) {
    if (tokens.length < 2 || !/^[0-9]+$/.test(tokens[0]) || !/^[ivx]+$/.test(tokens[1])) { return tokens; }
    if (tokens.length > 2 && /^[0-9]+$/.test(tokens[2])) { return tokens; }
    var word = tokens[1], article = tokens[0].replace(/^0+(?=[0-9])/, "");
    var m = /^(x{0,3})(ix|iv|v?i{0,3})$/.exec(word);
    if (!m) {
      return { error: sentence("'" + word.toUpperCase() + "' is not a Roman numeral: write the paragraph in digits, " +
        "such as '" + article + "(3)', or in Roman numerals, such as '" + article + "(III)'") };
    }
    var value = 10 * m[1].length + (ROMAN_VALUES[m[2]] || 0);
    if (word.length === 1 && tokens.length === 2) {
      return { error: sentence("this is ambiguous: '" + word + "' after article " + article + " can be read as paragraph " +
        value + " in Roman numerals or as a lettered point: write the paragraph in digits, such as '" + article +
        "(" + value + ")'") };
    }
    return [tokens[0], String(value)].concat(tokens.slice(2));
  }

  function sentence(reason) { return reason.charAt(0).toUpperCase() + reason.slice(1) + "."; }

  /* Paragraphs of `article` (a string) among the known ids, as protocol/citations.py _ranges says them.
   * An id that is the article's number alone ("14") is its paragraph 1, as the module cites it. */
  function ranges(article, known) {
    var paragraphs = [];
    known.forEach(function (id) {
      var m = /^(\d+)(?:\((\d+)\))?/.exec(id);
      var paragraph = m[2] === undefined ? 1 : parseInt(m[2], 10);
      if (m[1] === article && paragraphs.indexOf(paragraph) < 0) {
        paragraphs.push(paragraph);
      }
    });
    paragraphs.sort(function (a, b) { return a - b; });
    if (paragraphs.length <= 1) { return "article " + article + " is cited as a whole: write 'article " + article + "'"; }
    return "article " + article + " has paragraphs " + paragraphs[0] + " to " + paragraphs[paragraphs.length - 1];
  }

  /* Return {id: "6(3)(b)"} or {error: "..."}; `known` is the list of canonical ids in treaty order. */
  function parseCitation(text, known) {
    text = String(text);
    // ASCII only: digits, letters, and spaces or punctuation between them (as _SCAN in Python).
    // And the paragraph signs (§, ¶) and no-break spaces (U+00A0, U+202F), which separate as a space does.
    var scan = /([0-9]+|[A-Za-z]+)|([\t\n\x0b\x0c\r\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u00a0\u00a7\u00b6\u202f]+)|([\s\S])/gu;
    var tokens = [], m;
    while ((m = scan.exec(text)) !== null) {
      if (m[3] !== undefined) {
        var code = m[3].codePointAt(0).toString(16).toUpperCase();
        while (code.length < 4) { code = "0" + code; }
        return { error: sentence("it contains '" + m[3] + "' (U+" + code + "), a character citations do not use: " +
          "write them with the digits 0-9, the letters a-z and punctuation, " + EXAMPLE) };
      }
      if (m[1] !== undefined && NOISE.indexOf(m[1].toLowerCase()) < 0) { tokens.push(m[1].toLowerCase()); }
    }
    tokens = romanParagraph(tokens);
    if (tokens.error) { return tokens; }
    if (!tokens.length) { return { error: sentence("not a citation: write an article and paragraph, " + EXAMPLE) }; }
    var isNumber = function (t) { return /^[0-9]+$/.test(t); };
    var numbers = tokens.filter(isNumber);
    var letters = tokens.filter(function (t) { return !isNumber(t); });
    if (!isNumber(tokens[0]) || numbers.length > 2 || letters.length > 1 ||
        (letters.length && tokens[tokens.length - 1] !== letters[0])) {
      return { error: sentence("not a citation this course can read: write article, paragraph and sub-paragraph, " +
        "such as '6(3)(b)' or 'article 8(2)'") };
    }
    // Numbers stay strings (leading zeros dropped), so a long one is shown exactly as Python shows it.
    var num = function (t) { return t.replace(/^0+(?=[0-9])/, ""); };
    var article = num(numbers[0]);
    var articles = [];
    known.forEach(function (id) { var a = /^[0-9]+/.exec(id)[0]; if (articles.indexOf(a) < 0) { articles.push(a); } });
    if (articles.indexOf(article) < 0) {
      var covered = articles.slice(0, -1).join(", ") + " and " + articles[articles.length - 1];
      return { error: sentence("article " + article + " is not covered by this module (it covers articles " + covered + ")") };
    }
    var paragraph = numbers.length > 1 ? num(numbers[1]) : null;
    var letter = letters.length ? letters[0] : null;
    // "article 14" (an id of the article's number alone) is its paragraph 1, the savings clause.
    var named = known.indexOf(article) >= 0;
    if (paragraph === null) {
      if (!named) { return { error: sentence("this names a whole article: " + ranges(article, known) + "; cite one") }; }
      if (letter === null) { return { id: article }; }
      paragraph = "1";
    }
    var pid = article + "(" + paragraph + ")";
    var canonical = named && paragraph === "1" ? article : pid;
    if (known.indexOf(canonical) < 0) { return { error: sentence(ranges(article, known)) }; }
    if (letter === null) { return { id: canonical }; }
    var points = known.filter(function (id) { return id.indexOf(pid + "(") === 0; }).map(function (id) {
      return id.slice(pid.length + 1, -1);
    });
    if (!points.length) { return { error: sentence("article " + pid + " has no lettered points") }; }
    if (points.indexOf(letter) < 0) {
      return { error: sentence("this is not a provision: article " + pid + " has points (" + points[0] + ") to (" +
        points[points.length - 1] + ")") };
    }
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
    remember(form, ok === true ? "right" : ok === false ? "wrong" : "");
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
    // Right or wrong, why it is so and the module passage it rests on.
    var why = form.querySelector(".sc-why");
    if (why && (ok === true || ok === false)) {
      var reason = why.cloneNode(true);
      reason.removeAttribute("hidden");
      reason.removeAttribute("data-key");
      out.appendChild(reason);
    }
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

  // A scenario question with other facts: the next variant (the others wait in <template>s)
  // takes the place of the form shown, which keeps its answers for when the reader comes
  // back to it; focus moves to the new facts and the change is announced.
  var variantForms = new WeakMap();
  function variantsOf(box) {
    if (!variantForms.has(box)) {
      variantForms.set(box, [box.querySelector("form.self-check")].concat(
        Array.prototype.map.call(box.querySelectorAll("template.sc-variant"), function (t) {
          var form = t.content.firstElementChild.cloneNode(true);
          prints.set(form, fingerprint(form));
          return form;
        })));
    }
    return variantForms.get(box);
  }
  function swapTo(box, next) {
    var forms = variantsOf(box);
    var current = Number(box.getAttribute("data-current"));
    forms[current].replaceWith(forms[next]);
    box.setAttribute("data-current", String(next));
    box.querySelector(".sc-variant-status").textContent =
      "Other facts: set " + (next + 1) + " of " + forms.length + ". Read them, then answer again.";
    return forms[next];
  }
  function otherFacts(button) {
    var box = button.closest(".sc-variants");
    var forms = variantsOf(box);
    var form = swapTo(box, (Number(box.getAttribute("data-current")) + 1) % forms.length);
    var stem = form.querySelector(".sc-stem");
    stem.setAttribute("tabindex", "-1");
    stem.focus({ preventScroll: true });
    form.scrollIntoView({ block: "start" }); // the question first, then the facts
  }

  // ---- Kept in this browser (progress.js): the answers, and the result of the last check ----
  var prints = new WeakMap(); // form -> fingerprint of its markup as built
  function fingerprint(form) {
    var text = form.outerHTML, h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h.toString(16);
  }
  function store() {
    var p = typeof window !== "undefined" ? window.courseProgress : null;
    return p && p.available ? p : null;
  }
  // A scenario's variants are one question: answers are kept under its first form's id.
  function questionOf(form) {
    var box = form.closest(".sc-variants");
    return box ? box.getAttribute("data-question") : form.id;
  }
  function remember(form, result) {
    var p = store();
    if (!p || !prints.has(form)) { return; }
    var values = {};
    Array.prototype.forEach.call(form.querySelectorAll("input, select, textarea"), function (c) {
      if (c.id) { values[c.id] = c.type === "radio" || c.type === "checkbox" ? c.checked : c.value; }
    });
    p.saveAnswer(p.page, questionOf(form), { form: form.id, values: values, result: result, check: prints.get(form) });
  }
  function restore() {
    var p = store();
    if (!p) { return; }
    var kept = p.answers(p.page);
    Array.prototype.forEach.call(document.querySelectorAll("form.self-check"), function (form) {
      var r = kept[questionOf(form)];
      if (!r) { return; }
      var box = form.closest(".sc-variants");
      if (r.form !== form.id && box) {
        var at = variantsOf(box).map(function (f) { return f.id; }).indexOf(r.form);
        if (at < 0) { return; }
        form = swapTo(box, at);
      }
      if (r.form !== form.id || r.check !== prints.get(form)) { return; } // the question changed since
      Array.prototype.forEach.call(form.querySelectorAll("input, select, textarea"), function (c) {
        if (!(c.id in r.values)) { return; }
        if (c.type === "radio" || c.type === "checkbox") { c.checked = r.values[c.id] === true; } else { c.value = String(r.values[c.id]); }
      });
      var check = checkers[form.getAttribute("data-type")];
      if (r.result && check) { check(form); }
    });
  }
  function forgetShown() {
    Array.prototype.forEach.call(document.querySelectorAll("form.self-check"), function (form) {
      form.reset();
      var out = form.querySelector(".sc-result");
      out.textContent = "";
      out.className = "sc-result";
    });
  }

  function init() {
    // A typed answer is kept 400 ms after the last key; Check (or Enter) sooner must not be
    // undone by that pending save, which would mark a checked answer unchecked.
    var typing = new Map();  // form -> its pending save
    // Delegated, so a form swapped in by otherFacts is checked like the others.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form.self-check")) { return; }
      event.preventDefault();
      clearTimeout(typing.get(form));
      typing.delete(form);
      var check = checkers[form.getAttribute("data-type")];
      if (check) { check(form); }
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button.sc-other-facts") : null;
      if (button) { otherFacts(button); }
    });
    Array.prototype.forEach.call(document.querySelectorAll("button.sc-other-facts"), function (b) {
      b.hidden = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".sc-variants"), function (box) {
      box.setAttribute("data-question", box.querySelector("form.self-check").id);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.self-check"), function (form) {
      prints.set(form, fingerprint(form));
    });
    // An answer is kept as it is given; it counts as checked once Check is pressed.
    document.addEventListener("change", function (event) {
      var form = event.target.closest ? event.target.closest("form.self-check") : null;
      if (form) { remember(form, ""); }
    });
    document.addEventListener("input", function (event) {
      var form = event.target.closest ? event.target.closest("form.self-check") : null;
      if (!form || event.target.type !== "text") { return; }
      clearTimeout(typing.get(form));
      typing.set(form, setTimeout(function () { typing.delete(form); remember(form, ""); }, 400));
    });
    document.addEventListener("course-progress-forgotten", forgetShown);
    restore();
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { parseCitation: parseCitation, parseNumber: parseNumber };
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  }
}());
