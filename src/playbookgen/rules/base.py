"""What every rule shares: the finding a rule yields, and small readers of the model.

A rule never builds a :class:`~playbookgen.problems.Problem` itself: it says where and
what, and the runner in :mod:`playbookgen.rules` stamps the rule id and the severity.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from playbookgen.durations import DAY_NAMES, elapsed_hours, metric_clock, minutes_of, parse_duration
from playbookgen.loader import Document, JsonPath
from playbookgen.model import Item, Playbook
from playbookgen.model import path_roles as path_roles  # where the rules have always found it
from playbookgen.problems import Problem, Severity

RACI_LETTERS = ("R", "A", "C", "I")


@dataclass(frozen=True)
class Finding:
    """Where a rule found something wrong (a value, or with ``key`` the key holding it) and
    what to change, in words for a CS leader."""

    doc: Document
    path: JsonPath
    message: str
    key: bool = False

    def problem(self, rule: str, severity: Severity) -> Problem:
        line, column = self.doc.key_pos(self.path) if self.key else self.doc.pos(self.path)
        return Problem(self.doc.relpath, line, column, rule, severity, self.message)


def at(item: Item, sub: JsonPath, message: str, *, key: bool = False) -> Finding:
    """A finding at ``sub`` inside ``item``."""
    return Finding(item.doc, (*item.path, *sub), message, key)


def line_of(item: Item, *sub: str | int) -> int:
    return item.pos(*sub)[0]


def texts(playbook: Playbook) -> list[tuple[Document, JsonPath, str]]:
    """Every text value in every file, with its place (ids and ``$schema`` lines left out).
    Several rules read every text, so the list is made once per loaded playbook."""
    origin = getattr(playbook, "origin", None)
    if isinstance(origin, Playbook):  # a rule's watched view: reading every text reads every file
        iter(playbook.docs)
        playbook = origin
    cached = _TEXTS.get(id(playbook))
    if cached is not None and cached[0]() is playbook:
        return cached[1]
    found: list[tuple[Document, JsonPath, str]] = []
    _collect(playbook, found)
    key = id(playbook)
    _TEXTS[key] = (weakref.ref(playbook), found)
    weakref.finalize(playbook, _TEXTS.pop, key, None)
    return found


def _collect(playbook: Playbook, found: list[tuple[Document, JsonPath, str]]) -> None:
    """Every text in file order, depth first (recursion is safe: the loader caps nesting)."""
    for relpath in sorted(playbook.docs):
        doc = playbook.docs[relpath]
        if isinstance(doc.data, dict):
            _texts_in_mapping(doc, (), doc.data, found)
        elif isinstance(doc.data, list):
            _texts_in_list(doc, (), doc.data, found)


def _texts_in_mapping(
    doc: Document, path: JsonPath, mapping: dict[str, Any], found: list[tuple[Document, JsonPath, str]]
) -> None:
    for key, value in mapping.items():
        if isinstance(value, str):
            if key != "$schema" and key != "id":
                found.append((doc, (*path, key), value))
        elif isinstance(value, dict):
            _texts_in_mapping(doc, (*path, key), value, found)
        elif isinstance(value, list):
            _texts_in_list(doc, (*path, key), value, found)


def _texts_in_list(
    doc: Document, path: JsonPath, values: list[Any], found: list[tuple[Document, JsonPath, str]]
) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str):
            found.append((doc, (*path, index), value))
        elif isinstance(value, dict):
            _texts_in_mapping(doc, (*path, index), value, found)
        elif isinstance(value, list):
            _texts_in_list(doc, (*path, index), value, found)


_TEXTS: dict[int, tuple[weakref.ref[Playbook], list[tuple[Document, JsonPath, str]]]] = {}


def forget_texts(playbook: Playbook) -> None:
    """Drop the list :func:`texts` made for ``playbook`` (when the rules are done with it)."""
    _TEXTS.pop(id(playbook), None)


def letters(cell: object) -> list[str]:
    """The RACI letters written in one cell ('A/R' -> ['A', 'R'])."""
    return [ch for ch in str(cell) if ch in RACI_LETTERS]


def raci_of(playbook: Playbook, activity_id: str, role_id: str) -> list[str]:
    activity = playbook.get("activity", activity_id)
    if activity is None:
        return []
    return letters(activity.data.get("assignments", {}).get(role_id, ""))


def level_number(playbook: Playbook, role_id: str) -> int | None:
    """The escalation level number of a role, when it has one that resolves."""
    role = playbook.get("role", role_id)
    if role is None:
        return None
    level = playbook.get("level", str(role.data.get("level")))
    return int(level.data["level"]) if level is not None else None


def rank(item: Item | None) -> int | None:
    return int(item.data["rank"]) if item is not None else None


def top_priorities(playbook: Playbook) -> list[Item]:
    """The priorities with the highest rank (rank 1 normally)."""
    priorities = playbook.all("priority")
    if not priorities:
        return []
    best = min(int(p.data["rank"]) for p in priorities)
    return [p for p in priorities if int(p.data["rank"]) == best]


def is_always_open(calendar: dict[str, Any]) -> bool:
    """True for a calendar that never closes: always_open, or 00:00–24:00 every day."""
    if calendar.get("always_open"):
        return True
    covered = set()
    for interval in calendar.get("hours", []):
        if interval.get("open") == "00:00" and interval.get("close") == "24:00":
            covered.update(interval.get("days", []))
    return covered == set(DAY_NAMES)


def longest_day_hours(calendar: dict[str, Any]) -> float:
    """Opening hours of the calendar's longest day (24 for an always-open one)."""
    if is_always_open(calendar):
        return 24.0
    per_day: dict[str, float] = {}
    for interval in calendar.get("hours", []):
        start, end = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if start is None or end is None or end <= start:
            continue
        for day in interval.get("days", []):
            per_day[day] = per_day.get(day, 0.0) + (end - start) / 60
    return max(per_day.values(), default=0.0)


def target_hours(playbook: Playbook, target: dict[str, Any], metric: str) -> float | None:
    """Roughly how many wall-clock hours an SLA target's metric lasts, or None."""
    duration = parse_duration(target.get(metric))
    if duration is None:
        return None
    clock, calendar_id = metric_clock(target, metric)
    calendar = playbook.get("calendar", calendar_id)
    return elapsed_hours(duration, clock, calendar.data if calendar else None)
