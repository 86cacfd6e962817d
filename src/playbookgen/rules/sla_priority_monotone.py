"""A higher priority never has a looser target than a lower one, for every metric.

Within one SLA policy, a P1 case must be answered, updated and resolved at least as fast as
a P2 case, and so on down. Targets on different clocks are compared in wall-clock time: a
business hour on a calendar open 40 hours a week lasts about 4.2 hours.

**Passes** — `sla.yaml`:

```yaml
targets:
  - {priority: p1, clock: calendar, calendar: always,
     first_response: PT1H, update: PT2H, resolution: PT8H}
  - {priority: p2, clock: business, calendar: office,
     first_response: PT4H, update: PT8H, resolution: P2D}
```

**Fails** — P1 may take three days to resolve, P2 only eight business hours:

```yaml
targets:
  - {priority: p1, clock: calendar, calendar: always,
     first_response: PT1H, update: PT2H, resolution: P3D}
  - {priority: p2, clock: business, calendar: office,
     first_response: PT4H, update: PT8H, resolution: PT8H}
```
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from playbookgen.durations import metric_clock
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, target_hours

ID = "sla-priority-monotone"
SEVERITY: Severity = "error"
SUMMARY = "A higher priority never has a looser SLA target than a lower one."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""

_METRICS = {"first_response": "first response", "update": "update", "resolution": "resolution"}


def check(playbook: Playbook) -> Iterator[Finding]:
    for policy in playbook.all("sla-policy"):
        rows: list[tuple[int, int, Item, dict[str, Any]]] = []
        for index, target in enumerate(policy.data.get("targets", [])):
            priority = playbook.get("priority", str(target.get("priority")))
            if priority is not None:
                rows.append((int(priority.data["rank"]), index, priority, target))
        rows.sort(key=lambda row: (row[0], row[1]))
        for metric, name in _METRICS.items():
            for (rank_a, index, higher, a), (rank_b, _, lower, b) in itertools.pairwise(rows):
                if rank_a == rank_b:
                    continue
                hours_a, hours_b = target_hours(playbook, a, metric), target_hours(playbook, b, metric)
                if hours_a is None or hours_b is None or hours_a <= hours_b + 1e-9:
                    continue
                yield at(
                    policy,
                    ("targets", index, metric),
                    f"{higher.id} allows {_words(a, metric)} for {name}, longer than the lower priority "
                    f"{lower.id} ({_words(b, metric)}); a higher priority may never wait longer — "
                    f"tighten {higher.id} or loosen {lower.id}",
                )


def _words(target: dict[str, Any], metric: str) -> str:
    clock = "business" if metric_clock(target, metric)[0] == "business" else "calendar"
    return f"{target.get(metric)} on the {clock} clock"
