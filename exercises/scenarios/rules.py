"""The rule table: which provisions the facts of a scenario bring into play, and why.

Each rule names the module passage it rests on (page, heading and a verbatim quote that
tests check against the module text), so a lecturer can see where every answer comes from.
A rule derives a provision wherever a careful lawyer would say the facts bring it into play:

- article 6(3)(b): counselling and information on legal rights, in a language the person
  understands, for every person who has legal rights to be told about (a claim to
  compensation, proceedings, permission to remain or return), whether or not they speak the
  local language: the module lists legal advice on exactly those rights among the needs of
  victims and says they "will only receive compensation where they understand their legal
  options". A language barrier changes how it is given, not whether it is owed;
- article 6(4): the official text asks States to "take into account" the age, gender and
  special needs of victims; it is derived where the facts show such a need: a child, a
  pregnancy, a disability, a wish for a counsellor of her own gender;
- article 6(5): wherever the facts put the person's safety at risk in the State, not only
  where a threat is written: threats, or the people who exploited them at large and knowing
  where the person is.

Where several rules derive one provision, the more specific comes first (its words are the
feedback when both apply) and the most general last (its words when none does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import protocol
from exercises.items import Section
from exercises.scenarios.facts import Facts, Person


@dataclass(frozen=True)
class Rule:
    id: str
    provisions: tuple[str, ...]
    when: Callable[[Facts], bool]
    because: str        # shown as feedback when the rule applies ({name}, {them}, {their}: the person)
    otherwise: str      # shown when it does not
    source: Section
    # A need of the person's own that the facts state (somewhere to stay, a language, health care,
    # training) and a point of article 6(3) answers; the capstone gives each student at least one.
    need: bool = False

    def said(self, applies: bool, person: Person) -> str:
        """The feedback for this person's facts, in words that fit the person."""
        return (self.because if applies else self.otherwise).format(**person.words)


def _s(page: str, heading: str, quote: str) -> Section:
    return Section(page=page, heading=heading, quote=quote)


RULES: tuple[Rule, ...] = (
    Rule("privacy", ("6(1)",), lambda f: f.proceedings_running or f.media_interest,
         "There are proceedings or media interest: {their} identity must not be made public in judgments or reports.",
         "No proceedings and no media interest are mentioned, so privacy in proceedings does not arise on these facts.",
         _s("privacy-and-legal-proceedings", "Privacy and legal proceedings",
            "This includes their identity not being made public in court judgments or media reports of arrest or criminal proceedings against traffickers.")),
    Rule("information", ("6(2)(a)",), lambda f: f.proceedings_running,
         "Criminal proceedings are running: {name} is to receive information on them.",
         "No proceedings are running yet, so information on proceedings does not arise on these facts.",
         _s("privacy-and-legal-proceedings", "Privacy and legal proceedings",
            "States also have an obligation under article 6(2) of the Protocol to ensure that victims can access information about their legal rights and their potential involvement in court proceedings")),
    Rule("views", ("6(2)(b)",), lambda f: f.testifying,
         "{name} takes part in the criminal proceedings: {their} views and concerns are to be presented and considered.",
         "{name} is not taking part in criminal proceedings on these facts.",
         _s("privacy-and-legal-proceedings", "Box 2, Article 6",
            "Assistance to enable their views and concerns to be presented and considered at appropriate stages of criminal proceedings against offenders")),
    Rule("housing", ("6(3)(a)",), lambda f: f.needs_housing,
         "{name} has nowhere safe to stay: appropriate housing.",
         "{name} has somewhere safe to stay on these facts.",
         _s("recovery-of-victims", "Recovery of victims",
            "Housing, food and clothing. This is often provided by the State or by private shelters run by NGOs."),
         need=True),
    Rule("language", ("6(3)(b)",), lambda f: not f.speaks_local_language,
         "{name} does not speak the local language: counselling and information on {their} rights, "
         "in a language {name} understands.",
         "{name} speaks the local language, so counselling and information in it reach {them}.",
         _s("recovery-of-victims", "Box 2, Article 6",
            "Counselling and information, in particular as regards their legal rights, in a language that the victims of trafficking in persons can understand"),
         need=True),
    Rule("legal-information", ("6(3)(b)",),
         lambda f: f.unpaid_wages > 0 or f.medical_costs > 0 or f.proceedings_running or f.foreign,
         "{name} has legal rights to be told about (a claim to compensation, any proceedings, whether {name} may "
         "remain or return): counselling and information on them, in a language {name} understands, whether or "
         "not {name} speaks the local language.",
         "{name} has no claim, no proceedings and no question of status on these facts, so there are no legal "
         "rights to explain.",
         _s("recovery-of-victims", "Recovery of victims",
            "Legal advice concerning victims' participation in legal proceedings against traffickers, rights to claim compensation and rights to seek temporary or permanent residence in the country in which they are now located.")),
    Rule("health", ("6(3)(c)",), lambda f: f.health_needs or f.special_needs == "pregnant",
         "{name} needs health care (in a pregnancy, antenatal care): medical, psychological and material assistance.",
         "No health needs are mentioned on these facts.",
         _s("recovery-of-victims", "Recovery of victims", "Medical and mental health care."),
         need=True),
    Rule("training", ("6(3)(d)",), lambda f: f.wants_training,
         "{name} wants training to find work: employment, educational and training opportunities.",
         "{name} has not asked for training or work on these facts.",
         _s("recovery-of-victims", "Recovery of victims", "Education, life skills and vocational training."),
         need=True),
    Rule("child", ("6(4)",), lambda f: f.child,
         "{name} is under 18: article 6(4) asks States to take into account {their} age and, in particular, the "
         "special needs of children, including appropriate housing, education and care.",
         "{name} is an adult.",
         _s("child-victims", "Child victims",
            "Article 6(4) of the Protocol against Trafficking in Persons calls upon States parties to have regard to the special needs of children")),
    Rule("special-needs", ("6(4)",), lambda f: f.special_needs != "",
         "The facts show a need that comes from {name}'s gender or a special need (a pregnancy, a disability, a "
         "counsellor of {their} own gender): article 6(4) asks States to take it into account in every measure "
         "of article 6.",
         "Article 6(4) asks States to take into account the age, gender and special needs of every victim; "
         "the question asks for it when the facts show a particular need of that kind (a child, a pregnancy, a "
         "disability, a counsellor of the person's own gender), and these facts show none.",
         _s("child-victims", "Child victims",
            "take into account, in applying the provisions of this article, the age, gender and special needs of victims of trafficking in persons")),
    Rule("safety", ("6(5)",), lambda f: f.threatened or f.exploiters_nearby,
         "{name}'s safety is at risk in the State (threats, or the people who exploited {them} at large and "
         "knowing where {name} is): the State is to endeavour to provide for {their} physical safety.",
         "Nothing in these facts puts {name}'s safety at risk in the State: no threats, and nothing says the "
         "people who exploited {them} can reach {them} there.",
         _s("physical-safety", "Physical safety",
            "The right to safety concerns both instances of harm originating from traffickers and from other individuals.")),
    Rule("compensation", ("6(6)",), lambda f: f.unpaid_wages > 0 or f.medical_costs > 0,
         "{name} has unpaid wages or costs: the legal system is to offer the possibility of compensation.",
         "{name} has no unpaid wages or costs on these facts.",
         _s("compensation", "Compensation",
            "Compensation may include allowances for unpaid wages, legal fees, medical expenses, lost opportunities and compensation for pain and suffering.")),
    Rule("remain", ("7(1)", "7(2)"), lambda f: f.foreign and (f.wish != "return" or f.proceedings_running or f.risk_on_return),
         "{name} is in a State not {their} own and wishes to stay, is needed in proceedings, or faces risk at home: "
         "the State is to consider letting {them} remain, with humanitarian and compassionate factors.",
         "{name} is in {their} own State, or wishes to return with no proceedings or risk to keep {them}, so permission to remain does not arise.",
         _s("article-7", "Status of victims (article 7)",
            "Victims' immediate return to their home countries may be unproductive both for victims and for authorities involved in the prosecution of traffickers.")),
    Rule("return", ("8(1)", "8(2)"), lambda f: f.foreign and f.wish == "return",
         "{name} wishes to return: {their} State of nationality or permanent residence is to accept the return, with due regard for {their} safety.",
         "{name} does not wish to return (or is in {their} own State), so a return under article 8 is not in question on these facts.",
         _s("article-8", "Repatriation (article 8)",
            "must facilitate and accept the return of the victim without undue or unreasonable delay")),
    Rule("documents", ("8(3)", "8(4)"), lambda f: f.foreign and f.wish == "return" and not f.has_documents,
         "{name} wishes to return without documents: {their} nationality is to be verified and travel documents issued.",
         "{name} has {their} documents, or is not returning, so verification and travel documents do not arise.",
         _s("article-8", "Repatriation (article 8)",
            "In doing so, they must have due regard for the safety of that person and provide any necessary travel documents, such as replacement passports.")),
    Rule("international-law", ("14",), lambda f: f.foreign and f.risk_on_return,
         "{name} faces a real risk on return: rights under human rights and refugee law, including non-refoulement, still apply.",
         "No risk on return is mentioned on these facts.",
         _s("article-14", "The Protocol's savings clause",
            "A savings clause in article 14 of the Protocol makes clear that rights in international humanitarian law, international human rights law and international refugee law instruments apply to victims.")),
)


def applicable(facts: Facts) -> list[Rule]:
    return [r for r in RULES if r.when(facts)]


def derived_provisions(facts: Facts) -> list[str]:
    """Provisions the facts bring into play, in treaty order."""
    ids = {pid for r in applicable(facts) for pid in r.provisions}
    return [pid for pid in protocol.provision_ids() if pid in ids]


def rule_for(provision_id: str) -> Rule:
    """The first rule that derives `provision_id`; KeyError (not StopIteration) when none does:
    `python -m exercises check` reports template options no rule derives."""
    for r in RULES:
        if provision_id in r.provisions:
            return r
    raise KeyError(f"no rule in exercises/scenarios/rules.py derives {provision_id!r}")


def explain(provision_id: str, facts: Facts, person: Person) -> str:
    """Why `provision_id` is or is not in play on these facts, in words that fit the person:
    the first rule that derives it here, or, when none does, the most general one's reason."""
    rules = [r for r in RULES if provision_id in r.provisions]
    if not rules:
        rule_for(provision_id)  # the KeyError that says so
    for r in rules:
        if r.when(facts):
            return r.said(True, person)
    return rules[-1].said(False, person)
