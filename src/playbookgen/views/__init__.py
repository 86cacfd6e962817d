"""Facts derived from a checked playbook that the rules and the diff read: a category's
priority, a role's level and goodwill limits, where an item is used. What readers see is
built from these in :mod:`playbookgen.views.typed` and worded by :mod:`playbookgen.wording`."""

from __future__ import annotations

from typing import Any

from playbookgen.model import Item, Playbook
from playbookgen.wording import Wording

FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "LAST": ("listen", "apologise", "solve", "thank"),
    "LATTE": ("listen", "acknowledge", "take-action", "thank", "explain"),
    "HEARD": ("hear", "empathise", "apologise", "resolve", "diagnose"),
    "LEARN": ("listen", "empathise", "apologise", "react", "notify"),
}
STAGE_NAMES = {
    stage: stage.replace("-", " ").capitalize() for stages in FRAMEWORKS.values() for stage in stages
}


def money(amount: float, currency: str) -> str:
    """'€25' or '€12.50': an amount as problem messages and reports in English show it."""
    return Wording.cached("en", currency).money(amount)


def currency(playbook: Playbook) -> str:
    return str(playbook.settings.get("currency", "EUR"))


def policy_values(playbook: Playbook) -> dict[str, str]:
    """Each policy value as text shown wherever ``{{ policy.ID }}`` appears."""
    from playbookgen.views.typed import PlaybookView

    return PlaybookView(playbook).policy_values


def priority_of(playbook: Playbook, category: Item) -> Item | None:
    """The priority the matrix gives a category's default impact and urgency."""
    doc = playbook.file("priorities")
    cells = doc.data.get("matrix", []) if doc is not None and isinstance(doc.data, dict) else []
    for cell in cells:
        if cell.get("impact") == category.data.get("impact") and cell.get("urgency") == category.data.get(
            "urgency"
        ):
            return playbook.get("priority", str(cell.get("priority")))
    return None


def level_of(playbook: Playbook, role: Item) -> int | None:
    """The number of the escalation level a role works at."""
    level = playbook.get("level", str(role.data.get("level")))
    return int(level.data["level"]) if level is not None and "level" in level.data else None


def authority_for(playbook: Playbook, role_id: str) -> dict[str, Any] | None:
    """The goodwill limits of a role (its entry in authority.yaml), if it has one."""
    doc = playbook.file("authority")
    if doc is None or not isinstance(doc.data, dict):
        return None
    for entry in doc.data.get("limits", []):
        if entry.get("role") == role_id:
            return dict(entry)
    return None


def used_by(playbook: Playbook, kind: str, field: str, item_id: str) -> list[Item]:
    """Items of ``kind`` whose ``field`` (an id or a list of ids) names ``item_id``."""
    found = []
    for item in playbook.all(kind):
        value = item.data.get(field)
        if value == item_id or (isinstance(value, list) and item_id in value):
            found.append(item)
    return found


def training_for_category(playbook: Playbook, category_id: str) -> list[Item]:
    return [
        t for t in playbook.all("training") if category_id in t.data.get("covers", {}).get("categories", [])
    ]


def channel_families(playbook: Playbook, channel_ids: list[str]) -> set[str]:
    families = set()
    for channel_id in channel_ids:
        channel = playbook.get("channel", channel_id)
        if channel is not None:
            families.add(str(channel.data.get("family")))
    return families


def effective_assignments(assignments: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    """An activity's RACI letters by role with a category's overrides applied: a role listed
    in ``overrides`` gets its letters, or leaves the activity when they are '-'."""
    if not overrides:
        return dict(assignments)
    merged = {**assignments, **overrides}
    return {role: value for role, value in merged.items() if str(value).strip() != "-"}
