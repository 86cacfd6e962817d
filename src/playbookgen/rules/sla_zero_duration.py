"""SLA targets and step deadlines are more than zero and at most 90 days.

A target of `PT0M` is breached the moment a case opens, and a target of more than 90 days
(e.g. `P1Y` typed for `P1D`) is no target at all: both are almost always typing mistakes.
The same limits apply to the `within` deadline of a category's handling steps. Business-clock
durations are measured in wall-clock time.

**Passes** — `sla.yaml`:

```yaml
- {priority: p2, clock: business, calendar: office,
   first_response: PT4H, update: PT8H, resolution: P2D}
```

**Fails**:

```yaml
- {priority: p2, clock: business, calendar: office,
   first_response: PT0M, update: PT8H, resolution: P200D}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.durations import parse_duration
from playbookgen.loader import JsonPath
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, target_hours

ID = "sla-zero-duration"
SEVERITY: Severity = "error"
SUMMARY = "SLA targets and step deadlines are more than zero and at most 90 days."
SCOPE = "file"  # its findings in a file depend on that file and the single files only

LIMIT_DAYS = 90


def check(playbook: Playbook) -> Iterator[Finding]:
    for policy in playbook.all("sla-policy"):
        for index, target in enumerate(policy.data.get("targets", [])):
            for metric in ("first_response", "update", "resolution"):
                hours = target_hours(playbook, target, metric)
                if hours is not None:
                    yield from _judge(hours, str(target[metric]), policy, ("targets", index, metric))
    for category in playbook.all("category"):
        for index, step in enumerate(category.data.get("steps", [])):
            duration = parse_duration(step.get("within"))
            if duration is not None:
                hours = duration.total_seconds() / 3600
                yield from _judge(hours, str(step["within"]), category, ("steps", index, "within"))


def _judge(hours: float, text: str, item: Item, path: JsonPath) -> Iterator[Finding]:
    if hours <= 0:
        yield at(item, path, f"{text} is no time at all; give a real target such as PT4H or P2D")
    elif hours > LIMIT_DAYS * 24:
        yield at(
            item,
            path,
            f"{text} is more than {LIMIT_DAYS} days; check for a typing mistake (P1D is one day, "
            "P1M a month, P1Y a year) — a target this long is no target",
        )
