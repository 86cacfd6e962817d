"""SLA reminders fire before breach in increasing order; escalations climb in time and level.

Warnings (`at_percent` below 100) remind people before a target is breached, so each must
come later than the one before. Escalations (`at_percent` 100 or more) send an overrun case
up the ladder: each must come strictly later than the previous one *and* go to a strictly
higher escalation level (the `level` numbers in `roles.yaml`), or the case would stall or
come back down.

**Passes** — `sla.yaml`:

```yaml
warnings:
  - {at_percent: 50, notify: [lead]}
  - {at_percent: 75, notify: [lead]}
escalations:
  - {at_percent: 100, level: l2, notify: [lead]}
  - {at_percent: 150, level: l3, notify: [head]}
```

**Fails** — the second escalation is not later, and goes back down:

```yaml
escalations:
  - {at_percent: 150, level: l3, notify: [head]}
  - {at_percent: 100, level: l2, notify: [lead]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "sla-warning-order"
SEVERITY: Severity = "error"
SUMMARY = "SLA warnings and escalations come in strictly increasing time; escalations go strictly up."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for policy in playbook.all("sla-policy"):
        for key, word in (("warnings", "reminder"), ("escalations", "escalation")):
            previous: float | None = None
            for index, step in enumerate(policy.data.get(key, [])):
                percent = float(step["at_percent"])
                if previous is not None and percent <= previous:
                    yield at(
                        policy,
                        (key, index, "at_percent"),
                        f"this {word} fires at {_pct(percent)}, not after the one before it "
                        f"({_pct(previous)}); list {key} in strictly increasing at_percent",
                    )
                previous = percent
        last: tuple[int, str] | None = None
        for index, step in enumerate(policy.data.get("escalations", [])):
            level = playbook.get("level", str(step.get("level")))
            if level is None:
                continue
            number = int(level.data["level"])
            if last is not None and number <= last[0]:
                yield at(
                    policy,
                    ("escalations", index, "level"),
                    f"this escalation goes to level {number} ({level.id}), not above the previous "
                    f"escalation's level {last[0]} ({last[1]}); each escalation must go to a higher level",
                )
            last = (number, level.id)


def _pct(value: float) -> str:
    return f"{value:g}%"
