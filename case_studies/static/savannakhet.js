// The Savannakhet testimony as a journey through the Protocol (Box 8).
// `compare` and `compensation` mirror case_studies/savannakhet/model.py; the stages,
// readings, explanations, reflection questions and links all come from the Python model
// through `spec`. It keeps no score: this is a survivor's account, not a quiz.

const VERDICT_TEXT = {
  engaged: "Engaged here",
  arguable: "Arguable here",
  "not engaged": "Not engaged here",
  "also engaged": "Also engaged here (you did not choose it)",
};

/** Same as model.elsewhere: the other stages at which the course reads a provision. */
function elsewhere(spec, pid, stageId) {
  const places = { engaged: [], arguable: [] };
  spec.stages.forEach((s, i) => {
    if (s.id === stageId) return;
    for (const verdict of Object.keys(places)) if (pid in s[verdict]) places[verdict].push(`stage ${i + 1} (${s.title})`);
  });
  const said = Object.entries(places).filter(([, where]) => where.length).map(([verdict, where]) => `as ${verdict} at ${and(where)}`);
  if (said.length) return `The course reads article ${pid} ${said.join(" and ")}.`;
  const parts = spec.options.map((o) => o.id).filter((p) => p.startsWith(`${pid}(`) && spec.stages.some((s) => p in s.engaged || p in s.arguable));
  if (parts.length) return `The course reads its sub-paragraphs one by one (${and(parts)}) rather than the paragraph as a whole.`;
  return `The course reads article ${pid} as engaged at no stage of her account: the testimony says nothing that calls on it.`;
}

function and(items) {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Same as model.compare. */
function compare(spec, stage, chosen) {
  const order = spec.options.map((o) => o.id);
  const picked = order.filter((id) => chosen.includes(id));
  const readings = picked.map((pid) => {
    if (pid in stage.engaged) return { provision: pid, verdict: "engaged", why: stage.engaged[pid] };
    if (pid in stage.arguable) return { provision: pid, verdict: "arguable", why: stage.arguable[pid] };
    return { provision: pid, verdict: "not engaged", why: elsewhere(spec, pid, stage.id) };
  });
  for (const [pid, why] of Object.entries(stage.engaged)) if (!picked.includes(pid)) readings.push({ provision: pid, verdict: "also engaged", why });
  return { about: stage.not_here, readings, reflect: stage.reflect };
}

function compensation(v) {
  const daily = v.promised_per_month / v.days_per_month;
  const unpaid = daily * v.days_worked;
  const total = unpaid + v.legal_fees + v.medical_expenses + v.lost_opportunities + v.pain_and_suffering + v.exemplary_damages;
  return {
    daily_wage: daily,
    unpaid_wages: unpaid,
    heads_total: total,
    award: v.award,
    award_in_months_of_wage: v.promised_per_month > 0 ? v.award / v.promised_per_month : 0,
    award_less_heads: v.award - total,
  };
}

function render({ model, el }) {
  const spec = model.get("spec");
  const frame = csFrame(el, "savannakhet", "The Savannakhet testimony: a journey through the Protocol");
  const { root } = frame;
  const intro = h("p", { class: "cs-note", text: "At each stage, choose the provisions you read as engaged, then compare your reading with the course's. There is no score: the readings are for reflection and discussion." });
  // A stepper: where you are, previous and next; the list of all stages folded (open on a wide screen).
  const position = h("p", { class: "cs-stepper-position", "aria-live": "off" });
  const toPrevious = h("button", { type: "button", class: "cs-secondary", "data-action": "previous", "aria-label": "Previous stage", onclick: () => go(state().current - 1) }, "\u2190 Previous");
  const toNext = h("button", { type: "button", class: "cs-secondary", "data-action": "next", "aria-label": "Next stage", onclick: () => go(state().current + 1) }, "Next \u2192");
  const stageNav = h("ol", { class: "cs-stage-nav" });
  const stageList = csFolded("All stages", "cs-stage-list", stageNav);
  if (window.matchMedia && window.matchMedia("(min-width: 62rem)").matches) stageList.open = true;
  const stepper = h("nav", { class: "cs-stepper", "aria-label": "Stages of the testimony" }, h("div", { class: "cs-stepper-bar" }, toPrevious, position, toNext), stageList);
  const stageBox = h("div", { class: "cs-stage" });
  const compBox = h("div", { class: "cs-compensation" });
  root.append(intro, stepper, stageBox, compBox);
  frame.finish();

  const state = () => ({
    choices: model.get("choices") || {},
    compared: model.get("compared") || [],
    current: Math.min(Math.max(0, Number(model.get("current")) || 0), spec.stages.length - 1),
  });
  const save = (changes) => {
    for (const [k, v] of Object.entries(changes)) model.set(k, v);
    model.save_changes();
  };
  function go(i) {
    if (i < 0 || i >= spec.stages.length) return;
    save({ current: i });
    drawStage(true);
    drawNav();
  }

  function drawNav() {
    const { current, compared } = state();
    const count = spec.stages.length;
    position.textContent = `Stage ${current + 1} of ${count}`;
    toPrevious.disabled = current === 0;
    toNext.disabled = current === count - 1;
    stageList.querySelector("summary").textContent = `All ${count} stages (${compared.length} compared)`;
    stageNav.replaceChildren(
      ...spec.stages.map((s, i) =>
        h("li", {}, h("button", {
          type: "button",
          class: "cs-secondary",
          "aria-current": i === current ? "step" : undefined,
          "data-stage": s.id,
          onclick: () => go(i),
          text: `${i + 1}. ${s.title}${compared.includes(s.id) ? " (compared)" : ""}`,
        })),
      ),
    );
  }

  function drawStage(focus) {
    const { current, choices, compared } = state();
    const stage = spec.stages[current];
    const chosen = choices[stage.id] || [];
    const headingId = csId("stage");
    const heading = h("p", { class: "cs-stage-title", id: headingId, tabindex: "-1", text: `Stage ${current + 1} of ${spec.stages.length}: ${stage.title}` });
    const quote = h("blockquote", { class: "cs-excerpt" }, h("p", { text: stage.excerpt }));
    const note = stage.excerpt_note ? h("p", { class: "cs-note", text: stage.excerpt_note }) : null;
    const read = h("p", {}, "Read: ", h("a", { href: spec.module_links[stage.id], text: spec.module_titles[stage.id] }));
    const groups = [...new Set(spec.options.map((o) => o.article))].map((article) => {
      const box = h("fieldset", { class: "cs-provisions" }, h("legend", { text: `Article ${article}` }));
      for (const o of spec.options.filter((x) => x.article === article)) {
        const id = csId(`p${o.id}`);
        const input = h("input", { type: "checkbox", id, value: o.id, "data-provision": o.id });
        input.checked = chosen.includes(o.id);
        input.addEventListener("change", () => {
          const all = { ...state().choices };
          const now = new Set(all[stage.id] || []);
          if (input.checked) now.add(o.id); else now.delete(o.id);
          all[stage.id] = spec.options.map((x) => x.id).filter((x) => now.has(x));
          save({ choices: all });
          if (state().compared.includes(stage.id)) drawReading(stage, true);
        });
        box.append(h("div", { class: "cs-field cs-field-checkbox" }, input, h("label", { for: id, text: `${o.id} ${o.title}` })));
      }
      return box;
    });
    const choose = h("div", { class: "cs-choose", role: "group", "aria-labelledby": headingId }, h("p", { text: "Which provisions does this stage engage, in your reading? Choose any number, or none." }), ...groups);
    const check = h("button", {
      type: "button",
      "data-action": "compare",
      text: "Compare with the course's reading",
      onclick: () => {
        const c = state().compared;
        if (!c.includes(stage.id)) save({ compared: spec.stages.map((s) => s.id).filter((s) => s === stage.id || c.includes(s)) });
        drawReading(stage, true);
        drawNav();
      },
    });
    const moves = h(
      "div",
      { class: "cs-moves" },
      h("button", { type: "button", class: "cs-secondary", "data-action": "previous", disabled: current === 0, text: "Previous stage", onclick: () => go(current - 1) }),
      h("button", { type: "button", class: "cs-secondary", "data-action": "next", disabled: current === spec.stages.length - 1, text: "Next stage", onclick: () => go(current + 1) }),
    );
    const feedback = h("div", { class: "cs-feedback", "data-stage": stage.id });
    // A part that is not there is left out (replaceChildren would write it as the text "null").
    stageBox.replaceChildren(...[heading, quote, note, read, choose, h("div", { class: "cs-actions" }, check), feedback, moves].filter(Boolean));
    if (compared.includes(stage.id)) drawReading(stage, false);
    if (focus) heading.focus();
  }

  function drawReading(stage, announce) {
    const box = stageBox.querySelector(".cs-feedback");
    const c = compare(spec, stage, state().choices[stage.id] || []);
    const items = c.readings.map((r) => {
      const title = spec.options.find((o) => o.id === r.provision).title;
      return h(
        "li",
        { class: `cs-reading cs-verdict-${r.verdict.replace(" ", "-")}`, "data-provision": r.provision, "data-verdict": r.verdict },
        h("p", { class: "cs-reading-head" }, h("strong", { text: `${VERDICT_TEXT[r.verdict]}: ` }), h("a", { href: spec.provision_links[r.provision], text: `article ${r.provision}` }), `, ${title}`),
        h("p", { class: "cs-reading-why", text: r.why }),
      );
    });
    box.replaceChildren(...[
      h("p", { class: "cs-stage-result" }, h("strong", { text: "The course's reading of this stage, for discussion. " }), c.about),
      items.length ? h("ul", { class: "cs-readings" }, items) : h("p", { class: "cs-note", text: "You chose no provision, and the course reads none in this list as engaged at this stage." }),
      h("p", { class: "cs-reflect", "data-key": "reflect" }, h("strong", { text: "To reflect on: " }), c.reflect),
    ]);
    if (announce) frame.announce("The course's reading is shown below your choices, with a question to reflect on.");
    printSummary();
  }

  // The compensation panel.
  const compInputs = () => model.get("compensation_inputs");
  function drawCompensation() {
    const values = compInputs();
    const fields = h("div", { class: "cs-fields" });
    for (const a of [...spec.assumptions, ...spec.heads_of_loss.filter((x) => !x.computed)]) {
      const specWithUnit = { min: 0, unit: spec.currency, note: a.note || "Your estimate: the module gives no figure.", ...a };
      fields.append(csField(specWithUnit, values[a.id], (val) => {
        const next = { ...compInputs(), [a.id]: val.trim() !== "" && Number.isFinite(Number(val)) ? Number(val) : val };
        save({ compensation_inputs: next });
        updateCompensation(true);
      }).wrap);
    }
    compBox.replaceChildren(
      h("p", { class: "cs-title", text: "Compensation: the award beside the promised wage and the heads of loss" }),
      h("p", { class: "cs-note", text: spec.heads_of_loss_source }),
      h("div", { class: "cs-controls" }, fields),
      h("div", { class: "cs-results cs-comp-results" }),
    );
    updateCompensation(false);
  }

  function updateCompensation(announce) {
    const values = compInputs();
    const errors = [];
    const v = {};
    for (const a of [...spec.assumptions, ...spec.heads_of_loss.filter((x) => !x.computed)]) {
      const res = csNumber(values[a.id], { min: 0, ...a });
      if (res.error) errors.push(res.error); else v[a.id] = res.value;
    }
    frame.showErrors(errors);
    const out = compBox.querySelector(".cs-comp-results");
    if (errors.length) {
      if (announce) frame.announce("Compensation not updated: please correct the inputs listed above.");
      return;
    }
    const c = compensation(v);
    const unit = spec.currency;
    const row = (key, label, text) => h("tr", {}, h("th", { scope: "row", text: label }), h("td", { class: "cs-num", "data-key": key, "data-value": c[key], text }));
    out.replaceChildren(csTableRoles(h("table", { class: "cs-figures-table cs-stack" },
      h("caption", { text: "Compensation compared (teaching figures; a head of loss left at 0 counts as no loss)" }),
      h("tbody", {},
        row("daily_wage", "Promised wage per day", csMoney(c.daily_wage, unit)),
        row("unpaid_wages", "Unpaid wages at the promised rate", csMoney(c.unpaid_wages, unit)),
        row("heads_total", "All heads of loss entered, with unpaid wages", csMoney(c.heads_total, unit)),
        row("award", "Compensation received (Box 8)", csMoney(c.award, unit)),
        row("award_in_months_of_wage", "The award in months of the promised wage", csQuantity(c.award_in_months_of_wage, "months")),
        row("award_less_heads", c.award_less_heads > 0 ? "The award is more than the losses entered, by"
          : c.award_less_heads < 0 ? "The losses entered are more than the award, by" : "Difference between the award and the losses entered",
          csMoney(Math.abs(c.award_less_heads), unit)),
      ))));
    if (announce) frame.announce(`Award ${csMoney(c.award, unit)}; losses entered ${csMoney(c.heads_total, unit)}; difference ${csMoney(c.award_less_heads, unit)}.`);
    printSummary();
  }

  function printSummary() {
    const { choices, compared } = state();
    const lines = spec.stages.map((s) => {
      const chosen = choices[s.id] || [];
      const mark = compared.includes(s.id) ? " (compared with the course's reading)" : "";
      return `${s.title}: ${chosen.length ? chosen.join(", ") : "none chosen"}${mark}`;
    });
    const out = compBox.querySelector(".cs-comp-results td[data-key='award_less_heads']");
    if (out) lines.push(`Compensation: ${out.previousElementSibling.textContent} ${out.textContent}.`);
    frame.printSummary(lines);
  }

  drawNav();
  drawStage(false);
  drawCompensation();
  model.on("change:current", () => { drawStage(false); drawNav(); });
  model.on("change:choices", () => { if (!stageBox.contains(document.activeElement)) drawStage(false); });
  model.on("change:compared", () => { drawNav(); });
}

export default { render };
