"""``playbookgen review``: what is due or overdue for review, grouped by owner, as text, as
Markdown (for a monthly reminder issue) and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from playbookgen import kinds
from playbookgen.model import Playbook
from playbookgen.review import FILE_KINDS, Unit, as_of, interval_words, owner_name, units
from playbookgen.text import inline

FORMATS = ("text", "markdown", "json")
LISTED = ("overdue", "due", "never", "due-soon")
"""Statuses listed, most urgent first (``--all`` adds ``ok``)."""
STATUS_WORDS = {
    "overdue": "overdue",
    "due": "due",
    "never": "never reviewed",
    "due-soon": "due soon",
    "ok": "up to date",
}
NO_OWNER = ""


@dataclass(frozen=True)
class Review:
    """The units to list, by owner, as of one day."""

    today: date
    source: str
    owners: list[tuple[str, str, list[Unit]]]
    """(owner id, owner name, units), owners with the most urgent work first."""
    counts: dict[str, int]


def gather(playbook: Playbook, today: date | None = None, *, everything: bool = False) -> Review:
    """What is due for review as of ``today`` (default: SOURCE_DATE_EPOCH, else the clock)."""
    day, source = as_of(playbook, today, clock=True)
    statuses = (*LISTED, "ok") if everything else LISTED
    found = [u for u in units(playbook, day) if u.status in statuses]
    found.sort(key=lambda u: (statuses.index(u.status), u.next_review or date.min, u.relpath, u.id))
    by_owner: dict[str, list[Unit]] = {}
    for unit in found:
        by_owner.setdefault(unit.owner or NO_OWNER, []).append(unit)
    owners = [
        (owner, owner_name(playbook, owner or None) or "No owner named", group)
        for owner, group in by_owner.items()
    ]
    owners.sort(key=lambda o: (statuses.index(o[2][0].status), o[1].lower()))
    counts = {s: n for s in statuses if (n := sum(u.status == s for u in found))}
    return Review(day, source, owners, counts)


def render(result: Review, fmt: str) -> str:
    """The review list in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(result)
    return render_text(result)


def what(unit: Unit) -> str:
    """How the list names a unit: ``Category: Returns`` or ``SLA policies (sla.yaml)``."""
    if unit.kind in FILE_KINDS:
        return f"{unit.name} ({unit.relpath})"
    return f"{kinds.kind_name(unit.kind).capitalize()}: {unit.name}"


def when(unit: Unit, today: date) -> str:
    """The unit's review dates in words, relative to ``today``."""
    if unit.status == "never":
        return f"never reviewed; every {interval_words(unit.interval_text)}"
    assert unit.next_review is not None
    days = (unit.next_review - today).days
    if days > 0:
        relative = f"in {days} day{'s' * (days != 1)}"
    elif days == 0:
        relative = "today"
    else:
        relative = f"{-days} day{'s' * (days != -1)} ago"
    text = f"due {unit.next_review.isoformat()} ({relative})"
    if unit.status == "overdue":
        text += "; past the grace period: check fails"
    elif unit.status == "due" and unit.errors_from is not None:
        text += f"; check fails from {unit.errors_from.isoformat()}"
    return text


def render_text(result: Review) -> str:
    lines = [f"Reviews as of {result.today.isoformat()} ({result.source})"]
    if not result.owners:
        return lines[0] + "\nNothing is due for review.\n"
    for owner, name, group in result.owners:
        lines += ["", f"{name} ({owner})" if owner else name]
        for unit in group:
            lines.append(f"  {STATUS_WORDS[unit.status]:<14} {what(unit)} — {when(unit, result.today)}")
            lines.append(f"  {'':<14} {unit.relpath}:{unit.doc.pos(unit.where())[0]}")
    lines += ["", counts_line(result)]
    return "\n".join(lines) + "\n"


def counts_line(result: Review) -> str:
    return (
        ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in result.counts.items()) or "Nothing is due for review."
    )


def render_markdown(result: Review) -> str:
    """For a monthly reminder issue: a section per owner, a checklist of what to review."""
    lines = [f"## Content reviews as of {result.today.isoformat()}", ""]
    if not result.owners:
        return "\n".join([*lines, "Nothing is due for review."]) + "\n"
    lines += [
        f"**{counts_line(result)}.** A review is a pull request that sets `review.last_reviewed` to the "
        "day the content was checked.",
    ]
    for owner, name, group in result.owners:
        lines += ["", f"### {inline(name)}" + (f" (`{owner}`)" if owner else ""), ""]
        for unit in group:
            lines.append(
                f"- [ ] **{STATUS_WORDS[unit.status]}** — {inline(what(unit))} — {when(unit, result.today)} "
                f"(`{unit.relpath}`)"
            )
    return "\n".join(lines) + "\n"


def as_json(result: Review) -> dict[str, Any]:
    return {
        "as_of": result.today.isoformat(),
        "as_of_source": result.source,
        "counts": result.counts,
        "owners": [
            {"owner": owner or None, "name": name, "items": [_unit_json(u) for u in group]}
            for owner, name, group in result.owners
        ],
    }


def _unit_json(unit: Unit) -> dict[str, Any]:
    line, column = unit.doc.pos(unit.where())
    return {
        "kind": unit.kind,
        "id": unit.id,
        "name": unit.name,
        "file": unit.relpath,
        "line": line,
        "column": column,
        "status": unit.status,
        "last_reviewed": unit.last_reviewed.isoformat() if unit.last_reviewed else None,
        "interval": unit.interval_text,
        "next_review": unit.next_review.isoformat() if unit.next_review else None,
        "errors_from": unit.errors_from.isoformat() if unit.errors_from else None,
    }
