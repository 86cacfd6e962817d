"""Our SLA targets on a marketplace channel fit inside the marketplace's own deadlines.

A marketplace (bol.com, Amazon) rates sellers on how fast they answer buyers, and lets a
buyer open a dispute when a problem stays unsolved too long. A channel's
`partner_deadlines` say so; every target that applies to cases on that channel — the
policy of each category that comes in on it, or the policy a `variants` entry for the
channel puts in its place — must fit: first response and update within `reply`,
resolution within `dispute`. The marketplace counts calendar hours, so a business-clock
target is taken at its longest in a normal week (started just before the last closing
time before a closed day).

**Passes** — `channels.yaml`, with first responses within 12 hours:

```yaml
  - id: marketplace-chat
    partner_deadlines:
      partner: bol.com
      reply: PT24H
      dispute: P3D
```

**Fails** — a P4 first response of 4 business hours in office hours (Mon–Fri 09:00–17:00)
can take 68 hours over a weekend:

```yaml
    partner_deadlines:
      partner: bol.com
      reply: PT24H
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from playbookgen.durations import longest_wall_time, metric_clock, parse_duration
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.wording import ENGLISH

ID = "partner-deadlines"
SEVERITY: Severity = "error"
SUMMARY = "SLA targets on a marketplace channel fit inside the marketplace's reply and dispute deadlines."
READS = {"category": ("channels", "sla_policy")}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""

_CHECKS = (("reply", ("first_response", "update")), ("dispute", ("resolution",)))


def check(playbook: Playbook) -> Iterator[Finding]:
    longest: dict[tuple[str, str, str], timedelta] = {}
    for channel in playbook.all("channel"):
        deadlines = channel.data.get("partner_deadlines")
        if not deadlines:
            continue
        policies = _policies_on(playbook, channel)
        partner = str(deadlines.get("partner"))
        for key, metrics in _CHECKS:
            limit = parse_duration(deadlines.get(key))
            if limit is None:
                continue
            worst = _worst(playbook, policies, metrics, longest)
            if worst is None or worst[0] <= limit:
                continue
            took, policy, target, metric = worst
            clock, calendar_id = metric_clock(target, metric)
            on = "around the clock" if clock != "business" else f"in the opening hours of '{calendar_id}'"
            yield at(
                channel,
                ("partner_deadlines", key),
                f"{partner} allows {ENGLISH.duration(deadlines[key])}, but on this channel the "
                f"{metric.replace('_', ' ')} target of {target.get('priority')} in '{policy.id}' "
                f"({target.get(metric)} {on}) can take {_hours(took)}; give the channel a faster "
                f"policy (variants: - channels: [{channel.id}] in '{policy.id}') or tighten '{policy.id}'",
            )


def _policies_on(playbook: Playbook, channel: Item) -> list[Item]:
    """The policies that set targets for cases on ``channel`` (tier variants are faster by
    sla-variants and left out)."""
    found: dict[str, Item] = {}
    for category in playbook.all("category"):
        if channel.id not in category.data.get("channels", []):
            continue
        policy = playbook.get("sla-policy", str(category.data.get("sla_policy")))
        if policy is None:
            continue
        chosen = policy
        for variant in policy.data.get("variants", []):
            if not variant.get("tier") and channel.id in variant.get("channels", []):
                chosen = playbook.get("sla-policy", str(variant.get("sla_policy"))) or policy
                break
        found.setdefault(chosen.id, chosen)
    return [found[k] for k in sorted(found)]


def _worst(
    playbook: Playbook,
    policies: list[Item],
    metrics: tuple[str, ...],
    cache: dict[tuple[str, str, str], timedelta],
) -> tuple[timedelta, Item, dict[str, Any], str] | None:
    worst: tuple[timedelta, Item, dict[str, Any], str] | None = None
    for policy in policies:
        for target in policy.data.get("targets", []):
            for metric in metrics:
                duration = parse_duration(target.get(metric))
                if duration is None:
                    continue
                clock, calendar_id = metric_clock(target, metric)
                key = (clock, calendar_id, str(target.get(metric)))
                if key not in cache:
                    calendar = playbook.get("calendar", calendar_id)
                    cache[key] = longest_wall_time(clock, calendar.data if calendar else None, duration)
                if worst is None or cache[key] > worst[0]:
                    worst = (cache[key], policy, target, metric)
    return worst


def _hours(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    return f"{hours:g} hours" if hours <= 72 else f"about {hours / 24:.1f} days"
