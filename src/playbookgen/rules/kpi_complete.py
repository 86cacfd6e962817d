"""Every KPI target is possible for its unit.

The schema makes every KPI state its formula, unit, direction, target and owner; this rule
checks the target fits the unit: a percentage lies within 0–100, an NPS within −100..100,
and counts, times, amounts and ratios are not negative.

**Passes** — `kpis.yaml`:

```yaml
- {id: csat, name: CSAT, definition: …, formula: satisfied / responses × 100,
   unit: percent, direction: higher-is-better, target: 85, owner: lead}
```

**Fails**:

```yaml
- {id: csat, name: CSAT, definition: …, formula: satisfied / responses × 100,
   unit: percent, direction: higher-is-better, target: 850, owner: lead}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "kpi-complete"
SEVERITY: Severity = "error"
SUMMARY = "Every KPI target fits its unit: percent 0–100, NPS −100..100, others not negative."

_RANGES = {"percent": (0.0, 100.0), "nps": (-100.0, 100.0)}


def check(playbook: Playbook) -> Iterator[Finding]:
    for kpi in playbook.all("kpi"):
        unit, target = str(kpi.data["unit"]), float(kpi.data["target"])
        low, high = _RANGES.get(unit, (0.0, float("inf")))
        if low <= target <= high:
            continue
        limits = f"between {low:g} and {high:g}" if high != float("inf") else "0 or more"
        yield at(
            kpi,
            ("target",),
            f"a target of {target:g} is impossible for a KPI in {unit}; it must be {limits}",
        )
