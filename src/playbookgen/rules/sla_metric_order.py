"""In every SLA target, first response ≤ update ≤ resolution.

The first reply comes before the first update, and updates are promised at most as far
apart as the whole case may take. A first-response target longer than the update target,
or an update target longer than the resolution target, cannot both be met and tells agents
two different things. Targets on a business clock are compared in business time (a day is
a business day of the target's calendar).

**Passes** — `sla.yaml`:

```yaml
targets:
  - priority: p2
    clock: business
    calendar: office
    first_response: PT1H
    update: PT4H
    resolution: P2D
```

**Fails** — the first response is due after the first update:

```yaml
targets:
  - priority: p2
    clock: business
    calendar: office
    first_response: PT8H
    update: PT4H
    resolution: P2D
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, target_hours

ID = "sla-metric-order"
SEVERITY: Severity = "error"
SUMMARY = "In every SLA target, first response ≤ update ≤ resolution."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""

_NAMES = {"first_response": "first response", "update": "update", "resolution": "resolution"}


def check(playbook: Playbook) -> Iterator[Finding]:
    for policy in playbook.all("sla-policy"):
        for index, target in enumerate(policy.data.get("targets", [])):
            hours = {metric: target_hours(playbook, target, metric) for metric in _NAMES}
            for earlier, later in (("first_response", "update"), ("update", "resolution")):
                first, second = hours[earlier], hours[later]
                if first is None or second is None or first <= second + 1e-9:
                    continue
                yield at(
                    policy,
                    ("targets", index, later),
                    f"the {_NAMES[later]} target ({target[later]}) is shorter than the "
                    f"{_NAMES[earlier]} target ({target[earlier]}) for {target.get('priority')}; "
                    f"make {later} at least {target[earlier]}, or {earlier} at most {target[later]}",
                )
