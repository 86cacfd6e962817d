"""Derived views of a checked playbook that the site, the PDFs and the rules all read:
a category's priority, SLA rows in words, who may grant what, where an item is used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbookgen.durations import describe_target
from playbookgen.model import Item, Playbook

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
    """'EUR 25' or 'EUR 12.50'."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{currency} {text}"


def currency(playbook: Playbook) -> str:
    return str(playbook.settings.get("currency", "EUR"))


def policy_values(playbook: Playbook) -> dict[str, str]:
    """Each policy value as text shown wherever ``{{ policy.ID }}`` appears."""
    values: dict[str, str] = {}
    for item in playbook.all("policy"):
        value, unit = item.data.get("value"), item.data.get("unit", "text")
        if isinstance(value, bool):
            values[item.id] = "yes" if value else "no"
        elif unit == "currency" and isinstance(value, (int, float)):
            values[item.id] = money(value, currency(playbook))
        elif unit == "percent":
            values[item.id] = f"{value}%"
        elif unit in ("text", "count"):
            values[item.id] = str(value)
        else:
            singular = unit[:-1] if value == 1 and unit.endswith("s") else unit
            values[item.id] = f"{value} {singular}"
    return values


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


@dataclass(frozen=True)
class SlaRow:
    """One priority of an SLA policy, in words."""

    priority: Item
    clock: str
    calendar: Item | None
    first_response: str
    update: str
    resolution: str
    target: dict[str, Any]


def sla_rows(playbook: Playbook, policy: Item) -> list[SlaRow]:
    """The targets of an SLA policy, highest priority first, written for people."""
    rows: list[SlaRow] = []
    for target in policy.data.get("targets", []):
        priority = playbook.get("priority", str(target.get("priority")))
        if priority is None:
            continue
        calendar = playbook.get("calendar", str(target.get("calendar")))
        clock = str(target.get("clock", "calendar"))
        cal = calendar.data if calendar is not None else None
        rows.append(
            SlaRow(
                priority,
                clock,
                calendar,
                describe_target(str(target.get("first_response")), clock, cal),
                describe_target(str(target.get("update")), clock, cal),
                describe_target(str(target.get("resolution")), clock, cal),
                target,
            )
        )
    return sorted(rows, key=lambda r: int(r.priority.data.get("rank", 99)))


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


def raci_letter(activity: Item, role_id: str) -> str:
    return str(activity.data.get("assignments", {}).get(role_id, ""))


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
