"""A 24/7 channel and the top priority are never on a business-hours-only clock.

A channel marked `always_on: true` promises customers an answer around the clock, so its
calendar must be always open. The most urgent cases (the priority with rank 1) cannot wait
for Monday morning: every SLA target for the top priority runs on the calendar clock, or on
a business clock whose calendar is always open — including a target given its own clock
under `clocks:`.

**Passes** — `sla.yaml`:

```yaml
- {priority: p1, clock: calendar, calendar: always,
   first_response: PT1H, update: PT2H, resolution: PT8H}
```

**Fails** — a P1 case opened on Friday evening would wait until Monday:

```yaml
- {priority: p1, clock: business, calendar: office,
   first_response: PT1H, update: PT2H, resolution: PT8H}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.durations import METRICS, metric_clock
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, is_always_open, top_priorities
from playbookgen.wording import ENGLISH

ID = "calendar-always-on"
SEVERITY: Severity = "error"
SUMMARY = "24/7 channels and the top priority are never on a business-hours-only clock."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for channel in playbook.all("channel"):
        calendar = playbook.get("calendar", str(channel.data["calendar"]))
        if channel.data.get("always_on") and calendar is not None and not is_always_open(calendar.data):
            yield at(
                channel,
                ("calendar",),
                f"the channel is answered 24/7 (always_on: true) but its calendar '{calendar.id}' is "
                f"open {ENGLISH.calendar_hours(calendar.data)}; use an always-open calendar or set "
                "always_on: false",
            )
    top = {p.id for p in top_priorities(playbook)}
    for policy in playbook.all("sla-policy"):
        for index, target in enumerate(policy.data.get("targets", [])):
            if target.get("priority") not in top:
                continue
            row_told = False
            for metric in METRICS:
                clock, calendar_id = metric_clock(target, metric)
                if clock != "business":
                    continue
                calendar = playbook.get("calendar", calendar_id)
                if calendar is None or is_always_open(calendar.data):
                    continue
                own = metric in (target.get("clocks") or {})
                if not own and row_told:
                    continue
                row_told = row_told or not own
                where = ("targets", index, "clocks", metric, "clock") if own else ("targets", index, "clock")
                what = f"its {metric.replace('_', ' ')} " if own else ""
                hours = ENGLISH.calendar_hours(calendar.data)
                yield at(
                    policy,
                    where,
                    f"the top priority {target['priority']} runs {what}on the business clock of "
                    f"'{calendar.id}' ({hours}), so its "
                    "most urgent cases wait while it is closed; set clock: calendar, or use an always-open "
                    "calendar",
                )
