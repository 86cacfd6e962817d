"""How the playbook maps onto a helpdesk (``helpdesk.yaml``, every entry optional), and which
SLA target a ticket answers to: shared by ``playbookgen export`` and ``playbookgen measure``.

Defaults: the playbook's priorities by rank become urgent, high, normal and low; a ticket's
category is the tag that is a category id (with ``category_tag_prefix`` in front); its tier a
tag starting ``tier_``; tickets without a category answer to the first SLA policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playbookgen.durations import parse_duration
from playbookgen.loader import Document
from playbookgen.model import Item, Playbook

LEVELS = ("urgent", "high", "normal", "low")
"""The helpdesks' four priorities, most urgent first."""
FRESHDESK_PRIORITY = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
"""Freshdesk's priority numbers (1 Low … 4 Urgent); Freshdesk calls normal 'Medium'."""
LEVEL_ALIASES = {"medium": "normal", "1": "low", "2": "normal", "3": "high", "4": "urgent"}
"""What exports write for a level: Freshdesk's 'Medium' and its numbers."""
KPI_DEFAULTS = {
    "frt": "first-response-median",
    "tat": "resolution-median",
    "sla-compliance": "sla-attainment",
    "backlog": "backlog",
}


@dataclass(frozen=True)
class Target:
    """The SLA target one ticket answers to: seconds on a clock (business hours of a calendar,
    or calendar time) for the first response and the resolution."""

    policy: str
    priority: str
    clock: str
    calendar: str | None
    first_response: float | None
    resolution: float | None
    item: Item = field(compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str | None]:
        """Targets with the same key count time the same way."""
        return (self.clock, self.calendar if self.clock == "business" else None)


@dataclass
class HelpdeskConfig:
    """The mapping of ``helpdesk.yaml`` with its defaults filled in."""

    levels: dict[str, str]
    """Playbook priority id → helpdesk level, for the priorities that have one."""
    unmapped: list[Item]
    """Playbook priorities with no helpdesk level (a fifth priority)."""
    via: dict[str, dict[str, str]]
    """Source ('zendesk', 'freshdesk') → lowercased export value → channel id."""
    category_prefix: str
    tier_prefix: str
    default_policy: str | None
    kpis: dict[str, str]
    """KPI id → measure."""
    doc: Document | None = None

    def priority_of_level(self, level: str) -> str | None:
        """The playbook priority a helpdesk level stands for (the most urgent mapped to it)."""
        level = LEVEL_ALIASES.get(level.lower(), level.lower())
        for priority, mapped in self.levels.items():
            if mapped == level:
                return priority
        return None


def config(playbook: Playbook) -> HelpdeskConfig:
    """The helpdesk mapping of a checked playbook."""
    doc = playbook.file("helpdesk")
    data: dict[str, Any] = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    priorities = sorted(playbook.all("priority"), key=lambda p: int(p.data.get("rank", 99)))
    levels: dict[str, str] = {}
    if data.get("priorities"):
        for entry in data["priorities"]:
            levels[str(entry.get("priority"))] = str(entry.get("level"))
    else:
        levels = {p.id: level for p, level in zip(priorities, LEVELS, strict=False)}
    unmapped = [p for p in priorities if p.id not in levels]
    via: dict[str, dict[str, str]] = {"zendesk": {}, "freshdesk": {}}
    for entry in data.get("channels") or []:
        for source in via:
            for value in entry.get(source) or []:
                via[source][str(value).strip().lower()] = str(entry.get("channel"))
    kpis = {k: m for k, m in KPI_DEFAULTS.items() if playbook.get("kpi", k) is not None}
    if data.get("kpis"):
        kpis = {str(e.get("kpi")): str(e.get("measure")) for e in data["kpis"]}
    policies = playbook.all("sla-policy")
    default = data.get("default_policy") or (policies[0].id if policies else None)
    return HelpdeskConfig(
        levels,
        unmapped,
        via,
        str(data.get("category_tag_prefix", "")),
        str(data.get("tier_tag_prefix", "tier_")),
        str(default) if default else None,
        kpis,
        doc,
    )


def _seconds(value: object) -> float | None:
    duration = parse_duration(value)
    return duration.total_seconds() if duration is not None else None


class Targets:
    """Finds the SLA target of a ticket; one place to extend when targets vary by channel or tier."""

    def __init__(self, playbook: Playbook, helpdesk: HelpdeskConfig) -> None:
        self.playbook = playbook
        self.helpdesk = helpdesk
        self._cache: dict[tuple[str, str, str, str], Target | None] = {}

    def policy_of(self, category: str) -> str | None:
        item = self.playbook.get("category", category) if category else None
        if item is not None and item.data.get("sla_policy"):
            return str(item.data["sla_policy"])
        return self.helpdesk.default_policy

    def target_for(self, category: str, priority: str, channel: str, tier: str) -> Target | None:
        """The target a ticket of this category, priority, channel and tier answers to (None
        when its policy has no target for the priority)."""
        key = (category, priority, channel, tier)
        if key not in self._cache:
            self._cache[key] = self._find(*key)
        return self._cache[key]

    def _find(self, category: str, priority: str, channel: str, tier: str) -> Target | None:
        policy_id = self.policy_of(category)
        policy = self.playbook.get("sla-policy", policy_id) if policy_id else None
        if policy is None:
            return None
        # A variant of the policy (a customer tier, some channels) gives the ticket another
        # policy's targets; the first that matches applies, as on the SLA page.
        for variant in policy.data.get("variants") or []:
            if variant.get("tier") and str(variant["tier"]) != tier:
                continue
            if variant.get("channels") and channel not in {str(c) for c in variant["channels"]}:
                continue
            policy = self.playbook.get("sla-policy", str(variant.get("sla_policy"))) or policy
            break
        for target in policy.data.get("targets") or []:
            if str(target.get("priority")) == priority:
                clock = str(target.get("clock", "calendar"))
                calendar = target.get("calendar")
                return Target(
                    policy.id,
                    priority,
                    clock,
                    str(calendar) if calendar else None,
                    _seconds(target.get("first_response")),
                    _seconds(target.get("resolution")),
                    policy,
                )
        return None
