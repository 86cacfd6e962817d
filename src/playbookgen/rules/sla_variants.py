"""SLA variants say whom they are for, point at another policy, and never slow a tier down.

A policy's `variants` give some cases another policy's targets: customers of a tier (a
loyalty level with faster targets) or cases on some channels (a marketplace chat with its
own clock). Each variant names a tier, channels or both; points at another policy, which
has no variants of its own (variants do not chain); and matches cases no earlier variant
of the same policy already took. A tier exists to be served faster, so a tier's policy
never allows longer than the policy it replaces, at any priority, for any target.

**Passes** — `sla.yaml`:

```yaml
tiers:
  - {id: gold, name: Gold members}
policies:
  - id: standard
    name: Standard
    targets: [...]
    variants:
      - {tier: gold, sla_policy: standard-gold}
  - id: standard-gold
    name: Standard for Gold members
    targets: [...]   # every target as fast or faster than standard
```

**Fails** — a variant for nobody, and a tier that would wait longer:

```yaml
    variants:
      - {sla_policy: standard-gold}
      - {tier: gold, sla_policy: slow}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.durations import METRICS
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, line_of, target_hours

ID = "sla-variants"
SEVERITY: Severity = "error"
SUMMARY = "SLA variants name a tier or channels, another policy, and never slow a tier down."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for policy in playbook.all("sla-policy"):
        seen: dict[tuple[str, tuple[str, ...]], int] = {}
        for index, variant in enumerate(policy.data.get("variants", [])):
            tier = str(variant.get("tier", ""))
            channels = tuple(sorted(str(c) for c in variant.get("channels", [])))
            other = playbook.get("sla-policy", str(variant.get("sla_policy")))
            if not tier and not channels:
                yield at(
                    policy,
                    ("variants", index),
                    "the variant does not say whom it is for; add tier: (a customer tier) or "
                    "channels: (the channels it applies to)",
                )
                continue
            if (tier, channels) in seen:
                yield at(
                    policy,
                    ("variants", index),
                    f"the variant on line {line_of(policy, 'variants', seen[(tier, channels)])} already "
                    "covers the same cases, so this one never applies; remove it or change its tier "
                    "or channels",
                )
            seen.setdefault((tier, channels), index)
            if other is None:
                continue
            if other.id == policy.id:
                yield at(
                    policy,
                    ("variants", index, "sla_policy"),
                    "a variant points at another policy; this is the policy itself — name the policy "
                    "with the other targets",
                )
                continue
            if other.data.get("variants"):
                yield at(
                    policy,
                    ("variants", index, "sla_policy"),
                    f"the policy '{other.id}' has variants of its own, and variants do not chain; "
                    f"move its variants into '{policy.id}' or point at a policy without variants",
                )
            tier_item = playbook.get("tier", tier) if tier else None
            if tier_item is not None:
                slower = _slower(playbook, other, policy)
                if slower:
                    who = tier_item.name
                    yield at(
                        policy,
                        ("variants", index, "sla_policy"),
                        f"{who} would wait longer on '{other.id}' than on '{policy.id}' ({slower}); a "
                        "tier's policy must be as fast or faster at every priority — tighten "
                        f"'{other.id}' or point at a faster policy",
                    )


def _slower(playbook: Playbook, faster: Item, base: Item) -> str:
    """The first target where ``faster`` allows longer than ``base``, in words ('' if none)."""
    mine = {str(t.get("priority")): t for t in faster.data.get("targets", [])}
    for target in base.data.get("targets", []):
        other = mine.get(str(target.get("priority")))
        if other is None:
            continue
        for metric in METRICS:
            a, b = target_hours(playbook, other, metric), target_hours(playbook, target, metric)
            if a is not None and b is not None and a > b + 1e-9:
                return (
                    f"{target.get('priority')} {metric.replace('_', ' ')} {other.get(metric)} "
                    f"instead of {target.get(metric)}"
                )
    return ""
