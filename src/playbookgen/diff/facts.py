"""Facts the comparison reads off one playbook: an item's fields, the goodwill limits per
role, the priority matrix, the SLA target a category gets, ranks, and which way a number
moved."""

from __future__ import annotations

from typing import Any

from playbookgen import kinds
from playbookgen.diff.words import drop_common_suffix
from playbookgen.durations import elapsed_hours, metric_clock, parse_duration
from playbookgen.model import Item, Playbook
from playbookgen.wording import Wording


def without(data: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The mapping without some of its keys."""
    return {k: v for k, v in data.items() if k not in keys}


def item_data(playbook: Playbook, kind: str, item_id: str) -> dict[str, Any]:
    """An item's data in a playbook, or an empty mapping when it has no such item."""
    item = playbook.get(kind, item_id)
    return item.data if item is not None else {}


def fields_of(value: Any) -> dict[str, Any]:
    """An item's fields (or a pseudo-item's), without the ``$schema`` modeline key."""
    data = value.data if isinstance(value, Item) else value
    return {k: v for k, v in data.items() if k != "$schema"} if isinstance(data, dict) else {}


def keyed_entries(playbook: Playbook, kind: str) -> dict[str, dict[str, Any]]:
    """The entries of a kind matched by a key other than an id (goodwill limits, by role),
    as pseudo-items by that key."""
    found_home, item = kinds.home_of(kind), kinds.item_kind(kind)
    if found_home is None or item is None:
        return {}
    source, lst = found_home
    if lst is None:
        return {}
    doc = playbook.file(source.name)
    entries = doc.data.get(lst.key, []) if doc is not None and isinstance(doc.data, dict) else []
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get(item.match), str):
            found[entry[item.match]] = entry
    return found


def matrix_cells(playbook: Playbook) -> dict[tuple[str, str], str]:
    """The priority matrix: (impact, urgency) → priority id."""
    doc = playbook.file("priorities")
    cells = doc.data.get("matrix", []) if doc is not None and isinstance(doc.data, dict) else []
    return {(str(c.get("impact")), str(c.get("urgency"))): str(c.get("priority")) for c in cells}


def priority_for(playbook: Playbook, data: dict[str, Any]) -> str | None:
    """The priority the matrix gives a category's impact and urgency (as views.priority_of)."""
    return matrix_cells(playbook).get((str(data.get("impact")), str(data.get("urgency"))))


def sla_target(playbook: Playbook, policy_id: Any, priority_id: str | None) -> dict[str, Any] | None:
    """The target an SLA policy sets for a priority, if any."""
    policy = playbook.get("sla-policy", str(policy_id))
    if policy is None or priority_id is None:
        return None
    for target in policy.data.get("targets", []):
        if target.get("priority") == priority_id:
            return dict(target)
    return None


def target_words(playbook: Playbook, target: dict[str, Any], key: str, words: Wording | None = None) -> str:
    """One target of an SLA target entry in words (by default the playbook's), on its clock
    and calendar."""
    clock, calendar_id = metric_clock(target, key)
    calendar = playbook.get("calendar", calendar_id)
    words = words if words is not None else Wording.of(playbook.settings)
    return words.target(target.get(key), clock, calendar.data if calendar else None)


def compare_target(
    old_pb: Playbook,
    old: dict[str, Any],
    new_pb: Playbook,
    new: dict[str, Any],
    key: str,
    words: Wording | None = None,
) -> tuple[str, str, str] | None:
    """(class, before, after) of one SLA target in words, or None when it reads the same."""
    before, after = target_words(old_pb, old, key, words), target_words(new_pb, new, key, words)
    if before == after:
        return None
    before, after = drop_common_suffix(before, after)
    hours = []
    for playbook, target in ((old_pb, old), (new_pb, new)):
        duration = parse_duration(target.get(key))
        clock, calendar_id = metric_clock(target, key)
        calendar = playbook.get("calendar", calendar_id)
        hours.append(
            elapsed_hours(duration, clock, calendar.data if calendar else None) if duration else None
        )
    if hours[0] is None or hours[1] is None or abs(hours[0] - hours[1]) < 1e-9:
        return "changed", before, after
    return ("tightened" if hours[1] < hours[0] else "loosened"), before, after


def priority_rank(playbook: Playbook, priority_id: str | None) -> int:
    """The rank of a priority (1 is the most urgent; 99 when unknown)."""
    return rank_of(playbook, "priority", priority_id)


def rank_of(playbook: Playbook, kind: str, item_id: str | None) -> int:
    """The rank of an item of a ranked kind (99 when unknown)."""
    item = playbook.get(kind, str(item_id))
    rank = item.data.get("rank") if item is not None else None
    return int(rank) if isinstance(rank, int) else 99


def direction_class(direction: int | None, old: Any, new: Any) -> str:
    """Tightened or loosened by how a value moved against its direction (+1: higher is
    tighter, -1: lower is); changed when there is no direction or no number to compare."""
    if direction is None:
        return "changed"
    if isinstance(old, bool) or isinstance(new, bool):
        old_n, new_n = float(bool(old)), float(bool(new))
    elif isinstance(old, (int, float)) and isinstance(new, (int, float)):
        old_n, new_n = float(old), float(new)
    else:
        old_d, new_d = parse_duration(old), parse_duration(new)
        if old_d is None or new_d is None:
            return "changed"
        old_n, new_n = old_d.total_seconds(), new_d.total_seconds()
    if old_n == new_n:
        return "changed"
    return "tightened" if (new_n > old_n) == (direction > 0) else "loosened"


def join_path(fpath: str, key: str) -> str:
    """A field path one key deeper."""
    return f"{fpath}.{key}" if fpath else key


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` appears in ``long`` in order, with gaps allowed."""
    it = iter(long)
    return all(any(x == y for y in it) for x in short)
