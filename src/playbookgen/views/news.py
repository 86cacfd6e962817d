"""What's new, for the people who work to the playbook: the changes since the previous version
by subject (each named and linked to its page), in sentences rather than a diff report, with the
kind of change in plain words ("more room", "stricter") and the training and printouts to redo.

The diff (:mod:`playbookgen.diff`) finds and words the changes for CS leaders; this view regroups
them for readers. A change the view knows how to say in the reader's language (a goodwill cap, a
new or removed subject) is worded through :class:`~playbookgen.wording.Wording`; any other keeps
the diff's own sentence, with its subject (already in the heading) taken off and "before → after"
said as "now …, was …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playbookgen.diff.changes import Change, Changelog
from playbookgen.diff.words import capitalised, groups, lower_first, subject
from playbookgen.model import Playbook
from playbookgen.wording import N_, Wording

CLASS_LABELS = {
    "tightened": N_("stricter"),
    "loosened": N_("more room"),
    "added": N_("new"),
    "removed": N_("removed"),
    "changed": N_("changed"),
    "reworded": N_("new wording"),
}
"""Each class of change as a reader says it."""

SECTIONS: dict[str, str] = {
    "category": N_("Case categories"),
    "sla-policy": N_("SLA targets"),
    "tier": N_("SLA targets"),
    "priority-matrix": N_("Priority matrix"),
    "priority": N_("Priority matrix"),
    "impact": N_("Priority matrix"),
    "urgency": N_("Priority matrix"),
    "policy": N_("Policy values"),
    "authority": N_("Goodwill authority"),
    "compensation-type": N_("Goodwill authority"),
    "recovery": N_("Recovery scripts"),
    "activity": N_("Who does what (RACI)"),
    "form": N_("Forms"),
    "training": N_("Training modules"),
    "qa": N_("Quality assurance"),
    "kpi": N_("KPI glossary"),
    "role": N_("Escalation model and roles"),
    "level": N_("Escalation model and roles"),
    "qualification": N_("Escalation model and roles"),
    "channel": N_("Business hours and calendars"),
    "calendar": N_("Business hours and calendars"),
    "contact": N_("Contacts"),
    "cheat-sheet": N_("Printouts"),
    "settings": N_("Playbook settings"),
}
"""The section of the page each kind of item is listed under: the title of the site page that
shows it, so the section and the links read alike."""
OTHER_SECTION = N_("Other changes")

ITEM_PAGES = {
    "category": "categories",
    "form": "forms",
    "training": "training",
    "recovery": "recovery",
    "qa": "qa",
}
"""Kinds with a page per item: ``categories/<id>.md``."""
KIND_PAGES = {
    "sla-policy": "sla.md",
    "tier": "sla.md",
    "priority": "priorities.md",
    "impact": "priorities.md",
    "urgency": "priorities.md",
    "priority-matrix": "priorities.md",
    "policy": "policies.md",
    "authority": "authority.md",
    "compensation-type": "authority.md",
    "activity": "raci.md",
    "kpi": "kpis.md",
    "role": "escalation.md",
    "level": "escalation.md",
    "qualification": "escalation.md",
    "calendar": "calendars.md",
    "channel": "calendars.md",
    "contact": "index.md",
    "cheat-sheet": "printouts.md",
}
"""Kinds shown together on one page: a link to that page."""

_CAP = re.compile(r"^caps\[(?P<type>[^\]]+)\](?:\.(?P<key>per_case|per_customer))?$")


@dataclass(frozen=True)
class NewsLine:
    """One change, said in a sentence, with its kind in plain words."""

    label: str
    cls: str
    text: str


@dataclass(frozen=True)
class NewsItem:
    """The changes to one subject: its name, its page (docs path, or None), whether the whole
    subject is new or removed (``status``, in words) and what changed in it."""

    name: str
    page: str | None
    lines: tuple[NewsLine, ...]
    status: str = ""
    status_cls: str = ""


@dataclass(frozen=True)
class NewsSection:
    title: str
    items: tuple[NewsItem, ...]


@dataclass(frozen=True)
class NewsLink:
    """A training module to retake or a printout to replace, with its page."""

    name: str
    page: str | None
    count: str = ""
    """How many changes touch it, in words ('3 changes')."""


@dataclass(frozen=True)
class NewsView:
    """The What's new section as the page shows it."""

    title: str
    lead: str
    sections: tuple[NewsSection, ...]
    planning: tuple[NewsItem, ...]
    """Changes to planning parameters and settings, which no one at the front acts on."""
    retrain: tuple[NewsLink, ...]
    reprint: tuple[NewsLink, ...]


def news_view(changelog: Changelog, playbook: Playbook, words: Wording, pages: set[str]) -> NewsView:
    """The changes of ``changelog`` for the readers of ``playbook`` (the site's, perhaps
    translated, playbook: names are taken from it), linking only to pages in ``pages``; the
    diff's sentences in ``words``' language."""
    changelog = changelog.in_words(words)
    old = changelog.old
    if old.version and old.effective_date:
        title = words._(
            "Changes since version %(version)s (in force from %(date)s)",
            version=old.version,
            date=words.date(old.effective_date),
        )
    elif old.version:
        title = words._("Changes since version %(version)s", version=old.version)
    else:
        title = words._("Changes since the previous version")

    def name(kind: str, item_id: str) -> str:
        item = playbook.get(kind, item_id)
        return item.name if item is not None else changelog.name(kind, item_id)

    def page(kind: str, item_id: str) -> str | None:
        if kind in ITEM_PAGES:
            found = f"{ITEM_PAGES[kind]}/{item_id}.md" if playbook.get(kind, item_id) is not None else None
        else:
            found = KIND_PAGES.get(kind)
        return found if found in pages else None

    order = list(groups())
    by_item: dict[tuple[str, str], list[Change]] = {}
    for change in changelog.changes:
        by_item.setdefault((change.kind, change.id), []).append(change)
    sections: dict[str, list[NewsItem]] = {}
    planning: list[NewsItem] = []
    for (kind, item_id), changes in sorted(
        by_item.items(),
        key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else len(order), _sort_name(kv, name)),
    ):
        if kind == "settings":
            shown_name = words._("Playbook settings")
        elif kind == "authority":
            shown_name = name("role", item_id)
        else:
            shown_name = name(kind, item_id)
        whole = next((c for c in changes if c.field == "" and c.cls in ("added", "removed")), None)
        status = words._(CLASS_LABELS[whole.cls]) if whole is not None else ""
        for planned in (False, True):
            mine = [c for c in changes if c is not whole and _planning(c) == planned]
            lines: list[NewsLine] = []
            for change in sorted(mine, key=lambda c: c.cls == "reworded"):
                line = NewsLine(
                    words._(CLASS_LABELS.get(change.cls, change.cls)),
                    change.cls,
                    sentence(change, changelog, playbook, words, shown_name),
                )
                if line not in lines:
                    lines.append(line)
            if not lines and (planned or whole is None):
                continue
            item = NewsItem(
                shown_name,
                page(kind, item_id),
                tuple(lines),
                "" if planned else status,
                "" if planned or whole is None else whole.cls,
            )
            if planned:
                planning.append(item)
            else:
                sections.setdefault(words._(SECTIONS.get(kind, OTHER_SECTION)), []).append(item)
    retrain = tuple(
        NewsLink(
            name("training", module),
            page("training", module),
            words.n_("%(num)s change", "%(num)s changes", len(changes)),
        )
        for module, changes in changelog.retrain()
    )
    reprint = tuple(
        NewsLink(name(kind, item_id), page(kind, item_id)) for kind, item_id in changelog.reprint()
    )
    return NewsView(
        title,
        words.n_(
            "%(num)s change, listed by subject; each subject links to its page.",
            "%(num)s changes, listed by subject; each subject links to its page.",
            len(changelog.changes),
        ),
        tuple(NewsSection(t, tuple(items)) for t, items in sections.items()),
        tuple(planning),
        retrain,
        reprint,
    )


def _sort_name(entry: tuple[tuple[str, str], list[Change]], name: Any) -> tuple[str, str]:
    (kind, item_id), _ = entry
    shown = str(name(kind, item_id))
    return (shown.casefold(), item_id)


def _planning(change: Change) -> bool:
    """A change no one at the front acts on: a playbook setting or a channel's staffing figures."""
    return change.kind == "settings" or (change.kind == "channel" and change.field.startswith("staffing"))


def sentence(
    change: Change, changelog: Changelog, playbook: Playbook, words: Wording, shown: str = ""
) -> str:
    """One change as a sentence for the reader; the subject (``shown``, as the list names it)
    is left out."""
    if change.field == "" and change.cls == "added":
        return words._("New in this version.")
    if change.field == "" and change.cls == "removed":
        return words._("No longer in the playbook.")
    if change.kind == "authority":
        said = _goodwill(change, changelog, playbook, words)
        if said:
            return said
    if change.kind == "policy" and change.field == "value":
        said = _policy_value(change, playbook, words)
        if said:
            return said
    return _plain(change, changelog, words, shown)


def _policy_value(change: Change, playbook: Playbook, words: Wording) -> str:
    """A policy value moved: "Now 14 days (was 30 days)", in the reader's words and units."""
    item = playbook.get("policy", change.id)
    unit = str(item.data.get("unit", "text")) if item is not None else "text"
    if unit == "text" or not (_is_amount(change.before) and _is_amount(change.after)):
        return ""
    if unit == "count":
        was, now = words.number(change.before), words.number(change.after)
    else:
        was, now = words.measure(change.before, unit), words.measure(change.after, unit)
    return words._("Now %(now)s (was %(was)s).", now=now, was=was)


def _goodwill(change: Change, changelog: Changelog, playbook: Playbook, words: Wording) -> str:
    """A goodwill cap: "BPO team lead may now give up to €40 goodwill voucher per case (was €25)"."""
    found = _CAP.match(change.field)
    if found is None:
        return ""
    role_item = playbook.get("role", change.id)
    role = role_item.name if role_item is not None else changelog.name("role", change.id)
    type_item = playbook.get("compensation-type", found["type"])
    what = lower_first(
        type_item.name if type_item is not None else changelog.name("compensation-type", found["type"])
    )
    key = found["key"]
    if key is not None and _is_amount(change.before) and _is_amount(change.after):
        message = (
            N_("%(role)s may now give up to %(amount)s %(what)s per case (was %(was)s).")
            if key == "per_case"
            else N_("%(role)s may now give up to %(amount)s %(what)s per customer (was %(was)s).")
        )
        return words._(
            message,
            role=role,
            amount=words.money(change.after),
            what=what,
            was=words.money(change.before),
        )
    if key is None and isinstance(change.after, dict) and change.before is None:
        return words._(
            "%(role)s may now give %(what)s: up to %(case)s per case and %(customer)s per customer.",
            role=role,
            what=what,
            case=words.money(change.after.get("per_case")),
            customer=words.money(change.after.get("per_customer")),
        )
    if key is None and isinstance(change.before, dict) and change.after is None:
        return words._(
            "%(role)s may no longer give %(what)s (was up to %(case)s per case).",
            role=role,
            what=what,
            case=words.money(change.before.get("per_case")),
        )
    return ""


def _is_amount(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(change: Change, changelog: Changelog, words: Wording, shown: str = "") -> str:
    """The diff's sentence without its subject, "a → b" said as "now b (was a)"; an entry the
    diff calls "new …" is said without that word (the label says it)."""
    text = change.summary
    english = changelog.name(change.kind, change.id)
    said = changelog.words
    for prefix in (subject(change.kind, english, said), english, said._("Playbook settings"), shown):
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :].lstrip(" :,")
            break
    if change.cls == "added" and text.startswith("new "):
        text = text[len("new ") :]
    if change.shown is not None:
        was, now = change.shown
        arrow = f"{was} → {now}"
        if arrow in text:
            text = text.replace(arrow, words._("now %(now)s (was %(was)s)", now=now, was=was), 1)
    text = capitalised(text.strip()) or capitalised(change.summary)
    return text if text.endswith((".", "!", "?")) else f"{text}."
