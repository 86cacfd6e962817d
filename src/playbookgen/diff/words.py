"""Every word the diff writes of its own: group headings, kind and field labels, and the small
formatting helpers. Headings, kind names, class names, field labels and the report's sentences
are marked with ``N_`` here (or written as ``_()`` where they are used) and looked up in the
reader's language (``Wording``); JSON keeps English keys and class names."""

from __future__ import annotations

from typing import Any

from playbookgen import kinds
from playbookgen.diff.changes import Changelog
from playbookgen.model import Item
from playbookgen.wording import ENGLISH, N_, RACI_LETTERS, Wording

# The order of groups in a report. A kind of item the catalogue adds and this does not
# name comes before the settings.
ORDER = (
    "category",
    "sla-policy",
    "priority-matrix",
    "priority",
    "impact",
    "urgency",
    "policy",
    "authority",
    "compensation-type",
    "recovery",
    "activity",
    "form",
    "training",
    "qa",
    "kpi",
    "role",
    "level",
    "channel",
    "calendar",
    "contact",
    "cheat-sheet",
    "settings",
)
# Group headings other than the catalogue's plural of the kind.
HEADINGS = {
    "priority-matrix": "Priority matrix",
    "authority": "Goodwill authority",
    "activity": "RACI",
    "settings": "Playbook settings",
}


HEADING_WORDS = (
    N_("Categories"),
    N_("SLA policies"),
    N_("Priorities"),
    N_("Impact levels"),
    N_("Urgency levels"),
    N_("Policy values"),
    N_("Compensation types"),
    N_("Recovery scripts"),
    N_("Forms"),
    N_("Training modules"),
    N_("QA scorecards"),
    N_("KPIs"),
    N_("Roles"),
    N_("Escalation levels"),
    N_("Channels"),
    N_("Calendars"),
    N_("Official contacts"),
    N_("Cheat sheets"),
    N_("Qualifications"),
    N_("Customer tiers"),
    N_("Priority matrix"),
    N_("Goodwill authority"),
    N_("RACI"),
    N_("Playbook settings"),
)
"""The group headings, for the catalogue: :func:`groups` looks each up in the reader's language
(a kind the catalogue adds later shows its English plural until it is listed here)."""
KIND_WORDS = (
    N_("category"),
    N_("SLA policy"),
    N_("priority matrix cell"),
    N_("priority"),
    N_("impact level"),
    N_("urgency level"),
    N_("policy value"),
    N_("goodwill limits"),
    N_("compensation type"),
    N_("recovery script"),
    N_("RACI activity"),
    N_("form"),
    N_("training module"),
    N_("QA scorecard"),
    N_("KPI"),
    N_("role"),
    N_("escalation level"),
    N_("channel"),
    N_("calendar"),
    N_("official contact"),
    N_("cheat sheet"),
    N_("qualification"),
    N_("customer tier"),
    N_("settings"),
)
"""One item of each kind, for the catalogue (see :func:`kind_name`)."""
CLASS_WORDS = {
    "tightened": N_("tightened"),
    "loosened": N_("loosened"),
    "added": N_("added"),
    "removed": N_("removed"),
    "reworded": N_("reworded"),
    "changed": N_("changed"),
    "outdated": N_("outdated"),
}
"""The classes of change as a reader reads them; JSON keeps the English class names."""


def groups(words: Wording = ENGLISH) -> dict[str, str]:
    """Every group of a report, in order, with its heading in ``words``' language."""
    added = [item.id for item in kinds.item_kinds() if item.id not in ORDER]
    order = [*ORDER[:-1], *added, ORDER[-1]]
    return {kind: words._(HEADINGS.get(kind) or capitalised(plural_name(kind))) for kind in order}


def class_word(cls: str, words: Wording = ENGLISH) -> str:
    """A class of change in ``words``' language: ``tightened``, ``aangescherpt``."""
    return words._(CLASS_WORDS[cls]) if cls in CLASS_WORDS else cls


def kind_name(kind: str, words: Wording = ENGLISH) -> str:
    """One item of a kind, in a summary: ``SLA policy``, ``priority matrix cell``."""
    english = "priority matrix cell" if kind == "priority-matrix" else kinds.kind_name(kind)
    return words._(english)


def plural_name(kind: str) -> str:
    """Items of a kind, in a summary: ``SLA policies``."""
    item = kinds.item_kind(kind)
    return item.plural if item is not None else kind


def subject(kind: str, name: str, words: Wording = ENGLISH) -> str:
    """How a summary starts when it is about one item."""
    if kind == "authority":
        return words._("Goodwill limits for %(name)s", name=name)
    if kind == "activity":
        return words._("RACI '%(name)s'", name=name)
    if kind == "policy":
        return name if "policy" in name.lower() else words._("%(name)s policy", name=name)
    return words._("%(kind)s '%(name)s'", kind=capitalised(kind_name(kind, words)), name=name)


# What to call one entry of a list, by the list's key.
ENTRY_NAMES = {
    "fields": N_("field"),
    "sections": N_("section"),
    "questions": N_("question"),
    "objectives": N_("objective"),
    "items": N_("item"),
    "root_causes": N_("root cause"),
    "caps": N_("cap"),
    "compensation": N_("compensation"),
    "steps": N_("step"),
    "exercises": N_("exercise"),
    "approvals": N_("approval"),
    "holidays": N_("holiday"),
    "special_hours": N_("special hours"),
    "variants": N_("SLA variant"),
    "coverage": N_("coverage team"),
    "hours": N_("opening hours"),
    "warnings": N_("warning"),
    "escalations": N_("escalation"),
    "options": N_("option"),
    "recovery_waivers": N_("recovery waiver"),
}
ENTRY = N_("entry")
"""What to call an entry of a list not in :data:`ENTRY_NAMES`."""
LABELS = {
    "sla_policy": N_("SLA policy"),
    "rca_required": N_("RCA/CAPA required"),
    "first_contact_resolution": N_("first-contact resolution expected"),
    "per_case": N_("per case"),
    "per_customer": N_("per customer"),
    "pass_mark": N_("pass mark"),
    "at_percent": N_("at"),
    "resolve_now": N_("resolve now"),
    "na_allowed": N_("N/A allowed"),
    "fail_effect": N_("failing effect"),
    "reports_to": N_("reports to"),
    "handled_by": N_("handled by"),
    "partner_deadlines": N_("partner deadlines"),
    "always_on": N_("always on"),
    "always_open": N_("always open"),
    "closure_form": N_("closure form"),
    "recovery_scripts": N_("recovery scripts"),
    "partner_team": N_("partner team"),
    "legal_name": N_("legal name"),
    "approved_by": N_("approved by"),
    "key_points": N_("key points"),
    "trainer_notes": N_("trainer notes"),
    "agreement_objective": N_("agreement on objective items"),
    "agreement_subjective": N_("agreement on subjective items"),
    "quiz.pass_mark": N_("quiz pass mark"),
    "quiz.attempts": N_("quiz attempts"),
    "certification.validity": N_("certificate validity"),
    "covers.categories": N_("categories covered"),
    "covers.policies": N_("policies covered"),
    "covers.forms": N_("forms covered"),
    "requires_qualification": N_("required qualification"),
    "summary": N_("summary"),
    "description": N_("description"),
    "text": N_("text"),
    "say": N_("say"),
    "do": N_("do"),
    "when": N_("when"),
    "label": N_("label"),
    "prompt": N_("prompt"),
    "help": N_("help"),
    "purpose": N_("purpose"),
    "instructions": N_("instructions"),
    "guidance": N_("guidance"),
    "notes": N_("notes"),
    "note": N_("note"),
    "reply": N_("reply"),
    "scenario": N_("scenario"),
    "explanation": N_("explanation"),
    "answer": N_("answer"),
    "definition": N_("definition"),
    "avoid": N_("avoid"),
    "examples": N_("examples"),
    "phrases": N_("phrases"),
    "keywords": N_("keywords"),
    "reason": N_("reason"),
    "owner": N_("owner"),
    "role": N_("role"),
    "roles": N_("roles"),
    "channel": N_("channel"),
    "channels": N_("channels"),
    "priority": N_("priority"),
    "impact": N_("impact"),
    "urgency": N_("urgency"),
    "calendar": N_("calendar"),
    "type": N_("type"),
    "unit": N_("unit"),
    "amount": N_("amount"),
    "target": N_("target"),
    "value": N_("value"),
    "frequency": N_("frequency"),
    "method": N_("method"),
    "weight": N_("weight"),
    "critical": N_("critical"),
    "required": N_("required"),
    "options": N_("options"),
    "formula": N_("formula"),
    "scale": N_("scale"),
    "audience": N_("audience"),
    "stage": N_("stage"),
    "duration": N_("duration"),
    "interval": N_("interval"),
    "team": N_("team"),
    "contact": N_("contact"),
    "email": N_("email"),
    "phone": N_("phone"),
    "website": N_("website"),
    "hours": N_("hours"),
    "days": N_("days"),
    "forms": N_("forms"),
    "categories": N_("categories"),
    "policies": N_("policies"),
    "prerequisites": N_("prerequisites"),
    "materials": N_("materials"),
    "level": N_("level"),
    "tier": N_("tier"),
    "trains": N_("trains"),
    "review": N_("review"),
    "within": N_("within"),
    "respond_within": N_("respond within"),
    "grace": N_("grace"),
    "correct": N_("correct"),
    "clock": N_("clock"),
    "period": N_("period"),
    "direction": N_("direction"),
    "area": N_("area"),
    "measure": N_("measure"),
    "evaluator": N_("evaluator"),
    "source": N_("source"),
    "supports": N_("supports"),
    "captures": N_("captures"),
}


def drop_common_suffix(before: str, after: str) -> tuple[str, str]:
    """'4 business hours (Mon–Fri …)' → '4 business hours' when both name the same hours."""
    for marker in (" (", ", "):
        if marker in before and marker in after:
            head_b, _, tail_b = before.partition(marker)
            head_a, _, tail_a = after.partition(marker)
            if tail_b == tail_a and head_b != head_a:
                return head_b, head_a
    return before, after


def priority_label(item: Item | None, item_id: str) -> str:
    """A priority as every output labels it (``P1 Critical``)."""
    return ENGLISH.priority_label(item_id, item.name if item is not None else "")


# Labels of the settings of a file (its keys outside its lists); files not named here have none.
SETTINGS_LABELS = {"playbook": N_("Playbook settings"), "authority": N_("Goodwill rules")}
SLA_FIELDS = (
    ("first_response", N_("first response")),
    ("update", N_("next update")),
    ("resolution", N_("resolution")),
)
"""The targets of an SLA, each with its label (looked up in the reader's language)."""


def raci_words(letters: Any, words: Wording = ENGLISH) -> str | None:
    """'C' → 'C (consulted)'; 'A/R' → 'A/R (accountable, responsible)'."""
    if not isinstance(letters, str):
        return None
    said = [words.raci_word(ch).lower() for ch in letters if ch in RACI_LETTERS]
    if not said:
        return letters
    return words._("%(letters)s (%(words)s)", letters=letters, words=", ".join(said))


def norm_path(spath: tuple[str, ...]) -> str:
    """A schema path as dotted text."""
    return ".".join(spath)


def label_of(spath: tuple[str, ...], words: Wording = ENGLISH) -> str:
    """The label of a field in ``words``' language: a known label, else its key with spaces
    (looked up too, so a field whose key reads as a word can be translated)."""
    if norm_path(spath) in LABELS:
        return words._(LABELS[norm_path(spath)])
    key = next((s for s in reversed(spath) if s not in ("*", "**")), "")
    return words._(LABELS.get(key, key.replace("_", " ")))


def entry_name(spath: tuple[str, ...], words: Wording = ENGLISH) -> str:
    """What to call one entry of the list at ``spath``: ``step``, ``field``, else ``entry``."""
    return words._(ENTRY_NAMES.get(spath[-1] if spath else "", ENTRY))


def shorten(text: str, size: int = 60) -> str:
    """One line of text, cut with an ellipsis when longer than ``size``."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def capitalised(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The text with its first letter small, unless it starts an acronym ('QA')."""
    if len(text) > 1 and text[1].islower():
        return text[:1].lower() + text[1:]
    return text


PLURAL_WORDS = {
    "category": N_("categories"),
    "training": N_("training modules"),
    "form": N_("forms"),
    "recovery": N_("recovery scripts"),
    "cheat-sheet": N_("cheat sheets"),
}
"""Items of a kind in a running sentence ('used by 2 forms'), for the kinds the diff counts."""


def count_of(count: int, kind: str, words: Wording = ENGLISH) -> str:
    """'1 form', '2 forms' (in ``words``' language), or nothing for none."""
    if not count:
        return ""
    many = words._(PLURAL_WORDS[kind]) if kind in PLURAL_WORDS else plural_name(kind)
    return f"{words.number(count)} {kind_name(kind, words) if count == 1 else many}"


def list_names(names: list[str], kind: str, words: Wording = ENGLISH, limit: int = 3) -> str:
    """A few names in full, or how many there are."""
    if not names:
        return ""
    return ", ".join(names) if len(names) <= limit else count_of(len(names), kind, words)


def counts_line(changelog: Changelog) -> str:
    """The line that counts a changelog's changes by class."""
    words = changelog.words
    total = len(changelog.changes)
    if not total:
        return words._("No policy changes.")
    counts = ", ".join(f"{words.number(n)} {class_word(c, words)}" for c, n in changelog.counts().items())
    return words.n_("%(num)s change: %(counts)s", "%(num)s changes: %(counts)s", total, counts=counts)


def doc_name(changelog: Changelog, kind: str, item_id: str) -> str:
    """A printed document named as a reader knows it: ``Form Case closure``."""
    words = changelog.words
    return f"{capitalised(kind_name(kind, words))} {changelog.name(kind, item_id)}"
