"""Every SLA policy has exactly one target for every priority.

A category can land on any priority (impact and urgency are set per case), so its SLA
policy must say how fast to act for each one. The schema already makes every target name
its first-response, update and resolution times; this rule checks that no priority is
missing and none is listed twice.

**Passes** — `priorities.yaml` defines p1 and p2:

```yaml
policies:
  - id: standard
    targets:
      - {priority: p1, clock: calendar, calendar: always,
         first_response: PT1H, update: PT2H, resolution: PT8H}
      - {priority: p2, clock: business, calendar: office,
         first_response: PT4H, update: PT8H, resolution: P2D}
```

**Fails** — p2 has no target:

```yaml
policies:
  - id: standard
    targets:
      - {priority: p1, clock: calendar, calendar: always,
         first_response: PT1H, update: PT2H, resolution: PT8H}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, line_of

ID = "sla-priority-coverage"
SEVERITY: Severity = "error"
SUMMARY = "Every SLA policy has exactly one target for every priority."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    priorities = sorted(playbook.all("priority"), key=lambda p: (int(p.data["rank"]), p.id))
    for policy in playbook.all("sla-policy"):
        seen: dict[str, int] = {}
        for index, target in enumerate(policy.data.get("targets", [])):
            priority = str(target.get("priority"))
            if priority in seen:
                first = line_of(policy, "targets", seen[priority])
                yield at(
                    policy,
                    ("targets", index, "priority"),
                    f"the priority {priority} already has a target on line {first}; keep one target "
                    "per priority",
                )
            else:
                seen[priority] = index
        missing = [p for p in priorities if p.id not in seen]
        if missing:
            names = ", ".join(f"{p.id} ({p.name})" for p in missing)
            yield at(
                policy,
                ("targets",),
                f"the SLA policy '{policy.id}' has no target for {names}; add first_response, update "
                "and resolution targets for every priority",
                key=True,
            )
