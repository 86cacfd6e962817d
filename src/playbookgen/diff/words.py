"""Every word the diff writes of its own: group headings, kind and field labels, and the small
formatting helpers. Headings, kind names, class names and the report's sentences are looked up
in the playbook's language (``Wording``); field labels are still English."""

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
    "fields": "field",
    "sections": "section",
    "questions": "question",
    "objectives": "objective",
    "items": "item",
    "root_causes": "root cause",
    "caps": "cap",
    "compensation": "compensation",
    "steps": "step",
    "exercises": "exercise",
    "approvals": "approval",
    "holidays": "holiday",
    "special_hours": "special hours",
    "variants": "SLA variant",
    "coverage": "coverage team",
    "hours": "opening hours",
    "warnings": "warning",
    "escalations": "escalation",
    "options": "option",
    "recovery_waivers": "recovery waiver",
}
LABELS = {
    "sla_policy": "SLA policy",
    "rca_required": "RCA/CAPA required",
    "first_contact_resolution": "first-contact resolution expected",
    "per_case": N_("per case"),
    "per_customer": N_("per customer"),
    "pass_mark": "pass mark",
    "at_percent": "at",
    "resolve_now": "resolve now",
    "na_allowed": "N/A allowed",
    "fail_effect": "failing effect",
    "reports_to": "reports to",
    "handled_by": "handled by",
    "partner_deadlines": "partner deadlines",
    "always_on": "always on",
    "always_open": "always open",
    "closure_form": "closure form",
    "recovery_scripts": "recovery scripts",
    "partner_team": "partner team",
    "legal_name": "legal name",
    "approved_by": "approved by",
    "key_points": "key points",
    "trainer_notes": "trainer notes",
    "agreement_objective": "agreement on objective items",
    "agreement_subjective": "agreement on subjective items",
    "quiz.pass_mark": "quiz pass mark",
    "quiz.attempts": "quiz attempts",
    "certification.validity": "certificate validity",
    "covers.categories": "categories covered",
    "covers.policies": "policies covered",
    "covers.forms": "forms covered",
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
SETTINGS_LABELS = {"playbook": "Playbook settings", "authority": "Goodwill rules"}
SLA_FIELDS = (
    ("first_response", N_("first response")),
    ("update", N_("next update")),
    ("resolution", N_("resolution")),
)
"""The targets of an SLA, each with its label (looked up in the reader's language)."""


def raci_words(letters: Any) -> str | None:
    """'C' → 'C (consulted)'; 'A/R' → 'A/R (accountable, responsible)'."""
    if not isinstance(letters, str):
        return None
    words = [ENGLISH.raci_word(ch).lower() for ch in letters if ch in RACI_LETTERS]
    return f"{letters} ({', '.join(words)})" if words else letters


def norm_path(spath: tuple[str, ...]) -> str:
    """A schema path as dotted text."""
    return ".".join(spath)


def label_of(spath: tuple[str, ...]) -> str:
    """The label of a field: a known label, else its key with spaces."""
    if norm_path(spath) in LABELS:
        return LABELS[norm_path(spath)]
    key = next((s for s in reversed(spath) if s not in ("*", "**")), "")
    return LABELS.get(key, key.replace("_", " "))


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


def count_of(count: int, one: str, many: str) -> str:
    """'1 form', '2 forms', or nothing for none."""
    return f"{count} {one if count == 1 else many}" if count else ""


def list_names(names: list[str], one: str, many: str, limit: int = 3) -> str:
    """A few names in full, or how many there are."""
    if not names:
        return ""
    return ", ".join(names) if len(names) <= limit else count_of(len(names), one, many)


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
