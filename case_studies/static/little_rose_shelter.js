// Little Rose Shelter service planner (Box 17, article 6(3)-(4), Guideline 8 in Box 10).
// `rows` and `programme` mirror case_studies/little_rose_shelter/model.py; obligations,
// services and needs come from the Python model's data through `spec`.

/** Same as model._applies: one condition, or a list of conditions that must all hold. */
function applies(rule, p, childUnder) {
  const holds = {
    always: true,
    child: p.age < childUnder,
    returns_home: p.return_home === "yes" || p.return_home === "undecided",
    not_returning: p.return_home === "no" || p.return_home === "undecided",
  };
  return (Array.isArray(rule) ? rule : [rule]).every((c) => holds[c]);
}

function rows(spec, p, plan) {
  const wanted = spec.obligations.filter((o) => applies(o.applies, p, spec.child_under)).map((o) => ({ ...o, all_of: Boolean(o.all_of) }));
  for (const n of spec.needs) {
    if (p.needs.includes(n.id)) wanted.push({ id: `need:${n.id}`, label: `Her need: ${n.label}`, source: "Article 6(4)", met_by: n.met_by, all_of: false });
  }
  return wanted.map((o) => {
    const serving = o.met_by.filter((s) => plan.includes(s));
    const absent = o.met_by.filter((s) => !plan.includes(s));
    const met = o.all_of ? absent.length === 0 : serving.length > 0;
    return { id: o.id, obligation: o.label, source: o.source, met, met_by: serving, missing: o.all_of || !met ? absent : [] };
  });
}

function programme(spec, p, plan) {
  const groups = Math.ceil(p.girls / spec.group_size);
  return {
    groups,
    girls_in_last_group: groups ? p.girls - spec.group_size * (groups - 1) : 0,
    months: spec.rehabilitation_months + p.extra_months,
    grant_eligible: plan.includes("residency"),
  };
}

function render({ model, el }) {
  const spec = model.get("spec");
  const names = Object.fromEntries(spec.services.map((s) => [s.id, s.label]));
  const frame = csFrame(el, "little-rose", "Little Rose Shelter: plan services for one girl");
  const { root } = frame;
  const controls = h("div", { class: "cs-controls" });
  const results = h("div", { class: "cs-results" });
  root.append(controls, results);
  frame.finish();
  const save = (key, value) => { model.set(key, value); model.save_changes(); update(); };
  const open = { checklist: false }; // whether the reader has unfolded the checklist: kept across redraws

  function buildControls() {
    const profile = model.get("profile");
    const plan = model.get("plan");
    const who = h("fieldset", {}, h("legend", { text: "Her profile (a teaching profile, not a real person)" }));
    const nums = h("div", { class: "cs-fields" });
    for (const a of spec.assumptions) {
      nums.append(csField(a, profile[a.id], (val) => {
        save("profile", { ...model.get("profile"), [a.id]: val.trim() !== "" && Number.isFinite(Number(val)) ? Number(val) : val });
      }).wrap);
    }
    const radioName = csId("return");
    // The answers stay together in one row, with the note below them (not spread over a grid).
    const ret = h("fieldset", { class: "cs-return" }, h("legend", { text: "Does she wish to return to her family?" }));
    const choices = h("div", { class: "cs-choices" });
    for (const [value, label] of spec.return_choices) {
      const id = csId(`ret-${value}`);
      const input = h("input", { type: "radio", name: radioName, id, value, "data-return": value });
      input.checked = profile.return_home === value;
      input.addEventListener("change", () => save("profile", { ...model.get("profile"), return_home: value }));
      choices.append(h("div", { class: "cs-field cs-field-radio" }, input, h("label", { for: id, text: label })));
    }
    ret.append(choices);
    if (spec.return_note) ret.append(h("p", { class: "cs-note", text: spec.return_note }));
    const needs = h("fieldset", { class: "cs-needs" }, h("legend", { text: "Her needs" }));
    for (const n of spec.needs) {
      const id = csId(`need-${n.id}`);
      const input = h("input", { type: "checkbox", id, "data-need": n.id });
      input.checked = profile.needs.includes(n.id);
      input.addEventListener("change", () => {
        const cur = new Set(model.get("profile").needs);
        if (input.checked) cur.add(n.id); else cur.delete(n.id);
        save("profile", { ...model.get("profile"), needs: spec.needs.map((x) => x.id).filter((x) => cur.has(x)) });
      });
      needs.append(h("div", { class: "cs-field cs-field-checkbox" }, input, h("label", { for: id, text: n.label })));
    }
    who.append(nums, ret, needs);
    const planBox = h("fieldset", { class: "cs-plan" }, h("legend", { text: "Her plan: the shelter's services (Box 17)" }));
    for (const s of spec.services) {
      const id = csId(`svc-${s.id}`);
      const input = h("input", { type: "checkbox", id, "data-service": s.id });
      input.checked = plan.includes(s.id);
      input.addEventListener("change", () => {
        const cur = new Set(model.get("plan"));
        if (input.checked) cur.add(s.id); else cur.delete(s.id);
        save("plan", spec.services.map((x) => x.id).filter((x) => cur.has(x)));
      });
      planBox.append(h("div", { class: "cs-field cs-field-checkbox" }, input, h("label", { for: id, text: s.label })));
    }
    controls.replaceChildren(who, planBox);
  }

  function check(profile) {
    const errors = [];
    const p = { needs: profile.needs, return_home: profile.return_home };
    for (const a of spec.assumptions) {
      const res = csNumber(profile[a.id], a);
      if (res.error) errors.push(res.error);
      else if (a.id !== "age" && !Number.isInteger(res.value)) errors.push(`${a.label}: ${res.value} is not a whole number; ${csAllowed(a, "a whole number")}.`);
      else p[a.id] = res.value;
    }
    return { errors, p };
  }

  function update() {
    const plan = model.get("plan");
    const { errors, p } = check(model.get("profile"));
    frame.showErrors(errors);
    if (errors.length) { frame.announce("Not updated: please correct the inputs listed above."); return; }
    const rs = rows(spec, p, plan);
    const prog = programme(spec, p, plan);
    const met = rs.filter((r) => r.met).length;
    const table = csTableRoles(h("table", { class: "cs-coverage cs-stack" },
      h("caption", { text: "Each obligation that applies to her, and the services in her plan that answer it" }),
      h("thead", {}, h("tr", {}, ["Obligation", "Source", "In her plan", "Services meeting it", "Could add"].map((c) => h("th", { scope: "col", text: c })))),
      h("tbody", {}, rs.map((r) => h("tr", { "data-row": r.id, "data-met": String(r.met) },
        h("th", { scope: "row", text: r.obligation }),
        h("td", { "data-label": "Source", text: r.source }),
        h("td", { "data-label": "In her plan", class: r.met ? "cs-ok" : "cs-warn", "data-key": "status", text: r.met ? "covered" : "not yet covered" }),
        h("td", { "data-label": "Services meeting it", text: r.met_by.map((s) => names[s]).join("; ") || "none yet" }),
        h("td", { "data-label": "Could add", text: r.missing.map((s) => names[s]).join("; ") }),
      )))));
    const summary = `Her plan covers ${met} of the ${rs.length} obligations that apply to her.`;
    const checklist = csFolded(`Each obligation: ${met} covered, ${rs.length - met} not yet covered`, "cs-checklist", table);
    if (open.checklist) checklist.open = true;
    checklist.addEventListener("toggle", () => { open.checklist = checklist.open; });
    const girls = (n) => `${n} girl${n === 1 ? "" : "s"}`;
    const figures = h("ul", { class: "cs-figures" },
      h("li", {}, `Groups of ${spec.group_size} needed for ${girls(p.girls)}: `, h("strong", { "data-key": "groups", "data-value": prog.groups, text: String(prog.groups) }),
        prog.groups ? ` (the last with ${girls(prog.girls_in_last_group)})` : " (no girls in this intake)"),
      h("li", {}, "Her rehabilitation period: ", h("strong", { "data-key": "months", "data-value": prog.months, text: csQuantity(prog.months, "months") }), prog.months > spec.rehabilitation_months ? " (longer than the usual four, as Box 17 allows)" : " (the usual four)"),
      h("li", {}, "Reintegration grant: ", h("strong", { "data-key": "grant_eligible", "data-value": String(prog.grant_eligible), text: prog.grant_eligible ? "yes, on completing the four-month residency" : "not in this plan: the grant follows the four-month residency" })),
    );
    const working = csFolded("How this is worked out", "cs-working",
      h("ul", {},
        h("li", { text: `Which obligations apply: the four points of article 6(3) always; while she is under ${spec.child_under}, the child-specific part of article 6(4) and Guideline 8 (Box 10), with its row on reunion with her family if she wishes to return and its row on care arrangements if she does not (both while she has not decided); and one row for each need you tick (article 6(4)).` }),
        h("li", { text: "An obligation is covered when her plan includes at least one of the services that serve it; a row that needs several services together is covered only when all of them are in the plan. Which service serves which obligation is the course's reading of the module, for discussion." }),
        h("li", { text: `Age ${spec.child_under} as the limit of childhood is the course's teaching assumption (the Convention on the Rights of the Child's); the module gives none.` }),
        h("li", { text: `Groups: Box 17's groups of ${spec.group_size}, so the number of girls divided by ${spec.group_size}, rounded up. Months: Box 17's four months plus the extra months you set. The grant: Box 17 gives it to girls who complete the four-month residency.` }),
      ));
    results.replaceChildren(
      h("p", { class: "cs-coverage-summary", "data-key": "met", "data-value": met, text: summary }),
      checklist,
      h("p", { class: "cs-title", text: "Programme figures (Box 17)" }),
      figures,
      working,
    );
    frame.announce(summary);
    frame.printSummary([
      `Profile: age ${csFigure(p.age)}; wishes to return to her family: ${spec.return_choices.find(([v]) => v === p.return_home)[1].toLowerCase()}; needs: ${p.needs.map((n) => spec.needs.find((x) => x.id === n).label).join(", ") || "none ticked"}.`,
      `Plan: ${plan.map((s) => names[s]).join("; ") || "no services yet"}.`,
      summary,
      ...rs.map((r) => `${r.met ? "Covered" : "Not yet covered"}: ${r.obligation} (${r.source})`),
      `Groups: ${prog.groups}; months: ${prog.months}; reintegration grant: ${prog.grant_eligible ? "yes" : "no"}.`,
    ]);
  }

  buildControls();
  update();
  const fromKernel = () => { if (!controls.contains(document.activeElement)) buildControls(); update(); };
  model.on("change:profile", fromKernel);
  model.on("change:plan", fromKernel);
}

export default { render };
