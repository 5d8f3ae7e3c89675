// Restitution explorer for United States v. Sabhnani (Box 9, Box 7's rule).
// The arithmetic mirrors case_studies/sabhnani/model.py `restitution`, step for step;
// the field specs, defaults and bounds come from the Python model through `spec`.

const OTHER_HEADS = ["medical", "therapy", "transport_housing_childcare", "attorney_fees", "other_losses"];

/** Same steps as model.restitution (validated inputs only). */
function compute(v, r) {
  const days = csDay(v.end) - csDay(v.start) + 1;
  const weeks = days / 7;
  const months = days / r.days_per_month;
  const hoursPerWeek = v.hours_per_day * v.days_per_week;
  const regular = Math.min(hoursPerWeek, r.overtime_after_hours);
  const overtime = hoursPerWeek - regular;
  const minimumWageValue = (regular + overtime * r.overtime_multiplier) * r.minimum_wage * weeks;
  const valueToDefendant = v.value_to_defendant_per_month * months;
  const greaterOf = Math.max(minimumWageValue, valueToDefendant);
  const paid = (v.paid_to_victim_per_month + (r.credit_family_payments ? v.paid_to_family_per_month : 0)) * months;
  const unpaidMinimumWage = Math.max(0, minimumWageValue - paid);
  const lostIncome = Math.max(0, greaterOf - paid);
  const liquidated = unpaidMinimumWage * r.liquidated_ratio;
  const other = OTHER_HEADS.reduce((sum, k) => sum + v[k], 0);
  return {
    days,
    hours_per_week: hoursPerWeek,
    minimum_wage_value: minimumWageValue,
    value_to_defendant: valueToDefendant,
    greater_of: greaterOf,
    rule_applied: minimumWageValue >= valueToDefendant ? "minimum wage and overtime" : "value to the defendants",
    promised: v.promised_per_month * months,
    paid,
    lost_income: lostIncome,
    unpaid_minimum_wage: unpaidMinimumWage,
    liquidated_damages: liquidated,
    other_heads: other,
    total: lostIncome + liquidated + other,
  };
}

const DATE_FIX = "enter a date as YYYY-MM-DD, for example 2005-01-31"; // as model.DATE_FIX
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** An ISO date as people write it: "1 January 2005" (checked dates only). */
function csDate(iso) {
  const [y, m, d] = String(iso).split("-").map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** Check and convert inputs as model.validate does, with the same messages; returns {errors, rules, victims}. */
function check(inputs, spec) {
  const errors = [];
  const rules = {};
  for (const a of spec.assumptions) {
    const raw = inputs.rules[a.id];
    if (a.type === "boolean") { rules[a.id] = Boolean(raw); continue; }
    const res = csNumber(raw, a);
    if (res.error) errors.push(res.error); else rules[a.id] = res.value;
  }
  const victims = inputs.victims.map((v) => {
    const out = { id: v.id, label: v.label };
    for (const f of spec.victim_fields) {
      if (f.type === "date") {
        const text = v[f.id] === undefined || v[f.id] === null ? "" : String(v[f.id]).trim();
        if (text === "") errors.push(`${csLabel(f, v.label)}: nothing is entered; ${DATE_FIX}.`);
        else if (Number.isNaN(csDay(text))) errors.push(`${csLabel(f, v.label)}: "${text}" is not a date; ${DATE_FIX}.`);
        out[f.id] = v[f.id];
      } else {
        const res = csNumber(v[f.id], f, v.label);
        if (res.error) errors.push(res.error); else out[f.id] = res.value;
      }
    }
    if (!Number.isNaN(csDay(v.start)) && !Number.isNaN(csDay(v.end)) && csDay(v.end) < csDay(v.start)) {
      const label = (id) => spec.victim_fields.find((x) => x.id === id).label;
      errors.push(`${v.label} — ${label("end")}: ${v.end} is before the ${label("start").toLowerCase()}, ${v.start}; enter a date on or after ${v.start}.`);
    }
    return out;
  });
  return { errors, rules, victims };
}

const ROWS = [
  ["minimum_wage_value", "Value of the work under the minimum wage and overtime guarantee"],
  ["value_to_defendant", "Value of the work to the defendants"],
  ["greater_of", "Greater of the two (Box 7's rule)"],
  ["promised", "Wage promised over the period (for comparison)"],
  ["paid", "Counted as paid"],
  ["lost_income", "Lost income: greater of, less what was paid"],
  ["liquidated_damages", "Liquidated damages (on the unpaid minimum wage and overtime)"],
  ["other_heads", "Other heads of loss (Box 7)"],
  ["total", "Total"],
];
const PARTS = [
  ["lost_income", "Lost income", "cs-part-1"],
  ["liquidated_damages", "Liquidated damages", "cs-part-2"],
  ["other_heads", "Other heads of loss", "cs-part-3"],
];

/** Stacked bars, one per victim, on a common scale; hidden from screen readers (the table says it all). */
function chart(results, labels, unit) {
  const svgNS = "http://www.w3.org/2000/svg";
  const max = Math.max(1, ...results.map((r) => r.total));
  const bars = h("div", { class: "cs-chart-bars" });
  results.forEach((r, i) => {
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", "0 0 600 24");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "cs-chart-svg");
    svg.setAttribute("aria-hidden", "true");
    let x = 0;
    for (const [key, , cls] of PARTS) {
      const w = (600 * r[key]) / max;
      if (w <= 0) continue;
      const rect = document.createElementNS(svgNS, "rect");
      for (const [k, v] of Object.entries({ x, y: 0, width: w, height: 24, class: cls })) rect.setAttribute(k, v);
      svg.append(rect);
      x += w;
    }
    bars.append(h("p", { class: "cs-chart-label", text: `${labels[i]}: ${csMoney(r.total, unit)}` }), svg);
  });
  const legend = h("ul", { class: "cs-legend" }, PARTS.map(([, label, cls]) => h("li", {}, h("span", { class: `cs-swatch ${cls}` }), label)));
  return h("figure", { class: "cs-chart" }, h("figcaption", { text: "Restitution by component (the table gives the figures)" }), bars, legend);
}

function render({ model, el }) {
  const spec = model.get("spec");
  const unit = spec.currency;
  let inputs = structuredClone(model.get("inputs"));
  const frame = csFrame(el, "sabhnani", "Restitution explorer: United States v. Sabhnani");
  const { root } = frame;
  root.append(h("p", { class: "cs-disclaimer", text: spec.disclaimer }));

  const controls = h("div", { class: "cs-controls" });
  const results = h("div", { class: "cs-results" });
  root.append(controls, results);
  frame.finish();

  const commit = () => {
    model.set("inputs", structuredClone(inputs));
    model.save_changes();
    update();
  };
  const asStored = (raw) => (typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw);

  function buildControls() {
    const rulesBox = h("fieldset", {}, h("legend", { text: "Rules (teaching assumptions: change them)" }));
    const ruleFields = h("div", { class: "cs-fields" });
    for (const a of spec.assumptions) {
      ruleFields.append(csField(a, inputs.rules[a.id], (val) => { inputs.rules[a.id] = a.type === "boolean" ? val : asStored(val); commit(); }).wrap);
    }
    rulesBox.append(ruleFields);
    // On a phone the shared rules fold away, so that the victims' figures and the results come
    // sooner; the summary still says they are teaching assumptions.
    const rules = csFolded("Rules shared by both victims (teaching assumptions)", "cs-rules", rulesBox);
    if (window.matchMedia && window.matchMedia("(min-width: 62rem)").matches) rules.open = true;
    const victimBoxes = inputs.victims.map((v, i) => {
      const box = h("fieldset", { "data-victim": v.id }, h("legend", { text: v.label }));
      if (spec.victim_notes[v.id]) box.append(h("p", { class: "cs-note", text: spec.victim_notes[v.id] }));
      const work = h("div", { class: "cs-fields" });
      const heads = h("div", { class: "cs-fields" });
      for (const f of spec.victim_fields) {
        const note = (spec.field_notes[v.id] || {})[f.id] || f.note;
        const { wrap } = csField({ ...f, note }, v[f.id], (val) => {
          inputs.victims[i][f.id] = f.type === "date" ? val : asStored(val);
          commit();
        });
        wrap.querySelector("input").setAttribute("aria-label", `${v.label}: ${f.label}${f.unit && f.type !== "date" ? ` (${f.unit})` : ""}`);
        (OTHER_HEADS.includes(f.id) ? heads : work).append(wrap);
      }
      const details = h("details", {}, h("summary", { text: "Other heads of loss listed in Box 7" }), heads);
      box.append(work, details);
      return box;
    });
    controls.replaceChildren(rules, ...victimBoxes);
  }

  function update() {
    const { errors, rules, victims } = check(inputs, spec);
    frame.showErrors(errors);
    if (errors.length) {
      frame.announce("Results not updated: please correct the inputs listed above.");
      return;
    }
    const res = victims.map((v) => compute(v, rules));
    const total = res.reduce((s, r) => s + r.total, 0);
    const head = h("tr", {}, h("th", { scope: "col", text: "Component" }), victims.map((v) => h("th", { scope: "col", class: "cs-num", text: v.label })));
    const body = ROWS.map(([key, label]) =>
      h(
        "tr",
        { class: key === "total" ? "cs-total" : undefined },
        h("th", { scope: "row", text: label }),
        res.map((r, i) => h("td", { class: "cs-num", "data-label": victims[i].label, "data-victim": victims[i].id, "data-key": key, "data-value": r[key], text: csMoney(r[key], unit) })),
      ),
    );
    const ruleRow = h("tr", {}, h("th", { scope: "row", text: "Which side of the greater-of rule applies" }), res.map((r, i) => h("td", { "data-label": victims[i].label, "data-victim": victims[i].id, "data-key": "rule_applied", text: r.rule_applied })));
    const table = csTableRoles(h("table", { class: "cs-restitution cs-stack" }, h("caption", { text: `Restitution for each victim, ${unit} (teaching model)` }), h("thead", {}, head), h("tbody", {}, body, ruleRow)));
    const both = h("p", { class: "cs-both" }, "Both victims together: ", h("strong", { "data-key": "total_both", "data-value": total, text: csMoney(total, unit) }));
    results.replaceChildren(table, both, chart(res, victims.map((v) => v.label), unit), working(victims, res, rules));
    frame.announce(victims.map((v, i) => `${v.label}: total ${csMoney(res[i].total, unit)}`).join("; ") + `. Both: ${csMoney(total, unit)}.`);
    frame.printSummary([
      ...spec.assumptions.map((a) => `${a.label}: ${a.type === "boolean" ? (rules[a.id] ? "yes" : "no") : csQuantity(rules[a.id], a.unit, unit)}`),
      ...victims.flatMap((v, i) => [
        `${v.label}: ${csQuantity(v.hours_per_day, "hours")} a day, ${csQuantity(v.days_per_week, "days")} a week, ${csDate(v.start)} to ${csDate(v.end)}; promised ${csMoney(v.promised_per_month, unit)} a month; value to the defendants ${csMoney(v.value_to_defendant_per_month, unit)} a month.`,
        `${v.label}: lost income ${csMoney(res[i].lost_income, unit)} (${res[i].rule_applied}), liquidated damages ${csMoney(res[i].liquidated_damages, unit)}, other heads ${csMoney(res[i].other_heads, unit)}, total ${csMoney(res[i].total, unit)}.`,
      ]),
      `Both victims: ${csMoney(total, unit)}. ${spec.disclaimer}`,
    ]);
  }

  /** "How this is worked out": each step of compute() with the figures it used, for each victim. */
  function working(victims, res, rules) {
    const money = (x) => csMoney(x, unit);
    const steps = (v, r) => {
      const weeks = r.days / 7;
      const months = r.days / rules.days_per_month;
      const regular = Math.min(r.hours_per_week, rules.overtime_after_hours);
      const overtime = r.hours_per_week - regular;
      return [
        `Period: ${csDate(v.start)} to ${csDate(v.end)}, both days counted: ${csQuantity(r.days, "days")}, that is ${csQuantity(weeks, "weeks")} or ${csQuantity(months, "months")} of ${csQuantity(rules.days_per_month, "days")}.`,
        `Hours: ${csQuantity(v.hours_per_day, "hours")} a day × ${csQuantity(v.days_per_week, "days")} a week = ${csQuantity(r.hours_per_week, "hours")} a week: ${csQuantity(regular, "hours")} at the minimum wage and ${csQuantity(overtime, "hours")} of overtime (past ${csQuantity(rules.overtime_after_hours, "hours")}).`,
        `Minimum wage and overtime: (${csFigure(regular)} + ${csFigure(overtime)} × ${csFigure(rules.overtime_multiplier)}) hours × ${money(rules.minimum_wage)} × ${csFigure(weeks)} weeks = ${money(r.minimum_wage_value)}.`,
        `Value to the defendants: ${money(v.value_to_defendant_per_month)} × ${csFigure(months)} months = ${money(r.value_to_defendant)}.`,
        `Box 7's rule takes the greater of the two: ${money(r.greater_of)} (${r.rule_applied}).`,
        rules.credit_family_payments
          ? `Counted as paid: (${money(v.paid_to_victim_per_month)} to her + ${money(v.paid_to_family_per_month)} to her family) a month × ${csFigure(months)} months = ${money(r.paid)}.`
          : `Counted as paid: ${money(v.paid_to_victim_per_month)} to her a month × ${csFigure(months)} months = ${money(r.paid)} (payments to her family are not counted).`,
        `Lost income: ${money(r.greater_of)} less ${money(r.paid)}, never below zero = ${money(r.lost_income)}.`,
        `Liquidated damages: ${csFigure(rules.liquidated_ratio)} × the unpaid minimum wage and overtime (${money(r.minimum_wage_value)} less ${money(r.paid)}, never below zero: ${money(r.unpaid_minimum_wage)}) = ${money(r.liquidated_damages)}.`,
        `Other heads of loss entered: ${money(r.other_heads)}. Total: ${money(r.lost_income)} + ${money(r.liquidated_damages)} + ${money(r.other_heads)} = ${money(r.total)}.`,
      ];
    };
    return csFolded(
      "How this is worked out",
      "cs-working",
      h("p", { class: "cs-note", text: "Every figure here comes from the fields above: the module gives the promised wage and the payment to her daughter; the rest are teaching assumptions." }),
      victims.map((v, i) => [h("p", { class: "cs-working-who", text: v.label }), h("ol", {}, steps(v, res[i]).map((t) => h("li", { text: t })))]),
    );
  }

  buildControls();
  update();
  model.on("change:inputs", () => {
    // Changed from Python (a kernel): redraw the fields; our own edits are already shown.
    const incoming = model.get("inputs");
    if (JSON.stringify(incoming) === JSON.stringify(inputs)) return;
    inputs = structuredClone(incoming);
    buildControls();
    update();
  });
}

export default { render };
