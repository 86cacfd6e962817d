"""Ownership and review dates: who keeps each piece of content true, when it was last
checked, when the next review is due, and whether it is late.

A *reviewed unit* is one item file (a category, recovery script, training module, form or
QA scorecard), one single file (``sla.yaml``, ``policies.yaml``…), or an entry of
``policies.yaml`` or ``sla.yaml`` that has a ``review:`` block of its own. Each names its
``owner`` (a role), ``last_reviewed`` date and ``interval``; the owner and interval default to
``review.defaults`` in playbook.yaml by kind.

The day a playbook is judged on ("today") is never read silently from the clock by ``check``
or ``build``: :func:`as_of` takes ``--today`` when given, else ``SOURCE_DATE_EPOCH``, else the
version's effective date, so a version checks and builds the same bytes whenever it runs.
``playbookgen review`` answers "what is due now" and uses the clock when neither is given.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from playbookgen import kinds
from playbookgen.loader import Document, JsonPath
from playbookgen.model import Playbook

INTERVAL = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
DEFAULT_GRACE = "P30D"
DEFAULT_DUE_SOON = "P30D"

FOLDER_KINDS = ("category", "recovery", "training", "form", "qa")
"""Kinds of one file per item: each item is reviewed on its own."""
FILE_KINDS = ("channels", "calendars", "roles", "authority", "priorities", "sla", "raci", "kpis", "policies")
"""Single files reviewed as a whole."""
ENTRY_KINDS = {"policy": "policies", "sla-policy": "sla"}
"""Entries of a file that may have a review of their own: item kind → file kind."""

Status = Literal["ok", "due-soon", "due", "overdue", "never"]


@dataclass(frozen=True)
class Interval:
    """A review interval: years, months, weeks and days (``P1Y``, ``P6M``, ``P6W``, ``P90D``)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: object) -> Interval | None:
        """The interval an ISO 8601 period names, or None when it is not one (or is zero)."""
        match = INTERVAL.match(text) if isinstance(text, str) else None
        if match is None:
            return None
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        if not (years or months or weeks or days):
            return None
        return cls(years, months, weeks, days)

    def after(self, day: date) -> date:
        """The day this interval after ``day``. Years and months move the calendar date and
        stop at the end of a shorter month (31 January + 1 month = 28 or 29 February; 29
        February + 1 year = 28 February); weeks and days are then added."""
        month_index = day.year * 12 + (day.month - 1) + self.years * 12 + self.months
        year, month = divmod(month_index, 12)
        month += 1
        last = calendar.monthrange(year, month)[1]
        moved = date(year, month, min(day.day, last))
        return moved + timedelta(weeks=self.weeks, days=self.days)


def parse_day(text: object) -> date | None:
    """A YYYY-MM-DD date, or None."""
    if not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


class TodayError(ValueError):
    """A date to judge reviews on that cannot be read."""


def as_of(playbook: Playbook, today: date | None = None, *, clock: bool = False) -> tuple[date, str]:
    """The day reviews are judged on, and where it came from: ``today`` (``--today``), else
    ``SOURCE_DATE_EPOCH`` (its UTC date), else the clock when ``clock`` (``playbookgen review``),
    else the version's effective date (``check`` and ``build``: the same answer whenever they
    run)."""
    if today is not None:
        return today, "--today"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date(), "SOURCE_DATE_EPOCH"
    if clock:
        return datetime.now(UTC).date(), "today's date"
    effective = parse_day(playbook.settings.get("effective_date"))
    if effective is not None:
        return effective, "the effective date"
    return date(1970, 1, 1), "no date"


@dataclass(frozen=True)
class Settings:
    """``review:`` of playbook.yaml: the grace period, the due-soon window, defaults by kind."""

    grace: Interval
    due_soon: Interval
    defaults: dict[str, dict[str, str]]

    @classmethod
    def of(cls, playbook: Playbook) -> Settings:
        raw = playbook.settings.get("review")
        raw = raw if isinstance(raw, dict) else {}
        grace = Interval.parse(raw.get("grace")) or Interval(days=30)
        soon = Interval.parse(raw.get("due_soon")) or Interval(days=30)
        defaults = raw.get("defaults")
        found: dict[str, dict[str, str]] = {}
        if isinstance(defaults, dict):
            for kind, values in defaults.items():
                if isinstance(values, dict):
                    found[str(kind)] = {str(k): str(v) for k, v in values.items() if isinstance(v, str)}
        return cls(grace, soon, found)


@dataclass(frozen=True)
class Unit:
    """One reviewed piece of content, its review as written and as worked out for a day."""

    kind: str
    id: str
    name: str
    doc: Document
    path: JsonPath
    """Where the item is in its file (``()`` for a whole file or an item file)."""
    owner: str | None
    last_reviewed: date | None
    interval_text: str | None
    next_review: date | None
    status: Status
    days_late: int = 0
    errors_from: date | None = None
    """The first day check reports an error instead of a warning."""

    @property
    def has_review(self) -> bool:
        """Whether the item has a review block of its own."""
        value = value_at(self.doc.data, self.path)
        return isinstance(value, dict) and isinstance(value.get("review"), dict)

    def where(self) -> JsonPath:
        """The place to point at: ``review.last_reviewed``, else ``review``, else the item's id
        (or the first key of a whole file)."""
        review = value_at(self.doc.data, (*self.path, "review"))
        if isinstance(review, dict):
            if "last_reviewed" in review:
                return (*self.path, "review", "last_reviewed")
            return (*self.path, "review")
        if self.path or isinstance(value_at(self.doc.data, ("id",)), str):
            return (*self.path, "id")
        return ()

    @property
    def relpath(self) -> str:
        return self.doc.relpath


def value_at(data: Any, path: JsonPath) -> Any:
    """The value at ``path`` in YAML data, or None when there is none."""
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _file_names() -> dict[str, str]:
    return {name: kinds.source(name).path for name in FILE_KINDS}


FILE_TITLES = {
    "channels": "Channels",
    "calendars": "Business-hour calendars",
    "roles": "Roles and escalation levels",
    "authority": "Goodwill authority",
    "priorities": "Priority matrix",
    "sla": "SLA policies",
    "raci": "RACI",
    "kpis": "KPIs",
    "policies": "Policy values",
}


def units(playbook: Playbook, today: date) -> list[Unit]:
    """Every reviewed unit of the playbook, worked out for ``today``, in catalogue order."""
    settings = Settings.of(playbook)
    found: list[Unit] = []
    for kind in FOLDER_KINDS:
        for item in playbook.all(kind):
            found.append(_unit(kind, item.id, item.name, item.doc, item.path, item.data, settings, today))
    for kind in FILE_KINDS:
        doc = playbook.file(kind)
        if doc is None or not isinstance(doc.data, dict):
            continue
        found.append(_unit(kind, kind, FILE_TITLES[kind], doc, (), doc.data, settings, today))
    for kind in ENTRY_KINDS:
        for item in playbook.all(kind):
            if isinstance(item.data.get("review"), dict):
                found.append(_unit(kind, item.id, item.name, item.doc, item.path, item.data, settings, today))
    return found


def unit_of(playbook: Playbook, kind: str, item_id: str, today: date) -> Unit | None:
    """The reviewed unit for one item or file kind, if it is one."""
    for unit in units(playbook, today):
        if unit.kind == kind and unit.id == item_id:
            return unit
    return None


def _unit(
    kind: str,
    item_id: str,
    name: str,
    doc: Document,
    path: JsonPath,
    data: dict[str, Any],
    settings: Settings,
    today: date,
) -> Unit:
    review = data.get("review")
    review = review if isinstance(review, dict) else {}
    default = settings.defaults.get(kind, {})
    owner = review.get("owner") or default.get("owner")
    interval_text = review.get("interval") or default.get("interval")
    last = parse_day(review.get("last_reviewed"))
    interval = Interval.parse(interval_text)
    next_review = interval.after(last) if interval is not None and last is not None else None
    status: Status = "ok"
    late = 0
    errors_from = None
    if interval is not None and last is None:
        status = "never"
    elif next_review is not None:
        errors_from = settings.grace.after(next_review)
        if today >= errors_from:
            status, late = "overdue", (today - next_review).days
        elif today >= next_review:
            status, late = "due", (today - next_review).days
        elif today >= _before(settings.due_soon, next_review):
            status = "due-soon"
    return Unit(
        kind,
        item_id,
        name,
        doc,
        path,
        str(owner) if owner else None,
        last,
        str(interval_text) if interval_text else None,
        next_review,
        status,
        late,
        errors_from,
    )


def _before(window: Interval, day: date) -> date:
    """The day ``window`` before ``day`` (months stop at month ends, as :meth:`Interval.after`)."""
    month_index = day.year * 12 + (day.month - 1) - window.years * 12 - window.months
    year, month = divmod(month_index, 12)
    month += 1
    moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved - timedelta(weeks=window.weeks, days=window.days)


def interval_words(text: str | None) -> str:
    """An interval as English words for messages: ``P6M`` → ``6 months``."""
    interval = Interval.parse(text)
    if interval is None:
        return str(text or "")
    parts = [
        (interval.years, "year"),
        (interval.months, "month"),
        (interval.weeks, "week"),
        (interval.days, "day"),
    ]
    return ", ".join(f"{n} {unit}{'s' * (n != 1)}" for n, unit in parts if n)


def owner_name(playbook: Playbook, owner: str | None) -> str:
    """The owner role's name, or its id when it names no role."""
    if owner is None:
        return ""
    role = playbook.get("role", owner)
    return role.name if role is not None else owner


def _subject(unit: Unit) -> str:
    if unit.kind in FILE_KINDS:
        return unit.relpath
    return f"{kinds.kind_name(unit.kind)} '{unit.name}'"


def due_message(playbook: Playbook, unit: Unit, today: date, source: str) -> str:
    """What ``review-due`` and ``review-overdue`` say about a unit past its review date."""
    assert unit.next_review is not None and unit.last_reviewed is not None
    owner = owner_name(playbook, unit.owner)
    by = f"{owner} reviews it" if owner else "name an owner in review.owner"
    days = f"{unit.days_late} day{'s' * (unit.days_late != 1)} ago" if unit.days_late else "today"
    head = (
        f"the review of {_subject(unit)} was due on {unit.next_review.isoformat()} ({days}; last reviewed "
        f"{unit.last_reviewed.isoformat()}, every {interval_words(unit.interval_text)})"
    )
    grace = interval_words(_grace_text(playbook))
    if unit.status == "overdue" and unit.errors_from is not None:
        when = f"the grace period of {grace} ended on {unit.errors_from.isoformat()}"
    elif unit.errors_from is not None:
        when = f"it becomes an error on {unit.errors_from.isoformat()}"
    else:
        when = ""
    return (
        f"{head}; {when}; {by}: check it is still true and set review.last_reviewed to the day it was "
        f"checked (judged on {today.isoformat()}, {source})"
    )


def never_message(playbook: Playbook, unit: Unit) -> str:
    """What ``review-due`` says about a unit with a review interval and no review date."""
    owner = owner_name(playbook, unit.owner)
    by = f"{owner} reviews it" if owner else "its owner reviews it"
    return (
        f"{_subject(unit)} is to be reviewed every {interval_words(unit.interval_text)} but has no review "
        f"date; {by} and adds review: last_reviewed: YYYY-MM-DD (the day it was checked)"
    )


def _grace_text(playbook: Playbook) -> str:
    raw = playbook.settings.get("review")
    grace = raw.get("grace") if isinstance(raw, dict) else None
    return grace if isinstance(grace, str) and Interval.parse(grace) else DEFAULT_GRACE
