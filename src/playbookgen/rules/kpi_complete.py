"""Every KPI target is possible for its unit.

The schema makes every KPI state its formula, unit, direction, target and owner; this rule
checks the target fits the unit: a percentage lies within 0–100, an NPS within −100..100,
and counts, times, amounts and ratios are not negative. The same holds for each team's own
target (`team_targets`), and a team target names a role group that has roles — a target
for the outsourced contact centre (`bpo`) in a playbook without BPO roles applies to nobody.

**Passes** — `kpis.yaml`:

```yaml
- {id: csat, name: CSAT, definition: …, formula: satisfied / responses × 100,
   unit: percent, direction: higher-is-better, target: 85, owner: lead,
   team_targets: [{group: bpo, target: 80}]}
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
SUMMARY = "Every KPI target (and team target) fits its unit; a team target names a group that has roles."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""

_RANGES = {"percent": (0.0, 100.0), "nps": (-100.0, 100.0)}


def check(playbook: Playbook) -> Iterator[Finding]:
    groups: set[str] | None = None  # read only when a KPI has team targets
    for kpi in playbook.all("kpi"):
        unit = str(kpi.data["unit"])
        targets = [(("target",), float(kpi.data["target"]))] + [
            (("team_targets", index, "target"), float(entry["target"]))
            for index, entry in enumerate(kpi.data.get("team_targets", []))
        ]
        low, high = _RANGES.get(unit, (0.0, float("inf")))
        for where, target in targets:
            if low <= target <= high:
                continue
            limits = f"between {low:g} and {high:g}" if high != float("inf") else "0 or more"
            yield at(
                kpi,
                where,
                f"a target of {target:g} is impossible for a KPI in {unit}; it must be {limits}",
            )
        for index, entry in enumerate(kpi.data.get("team_targets", [])):
            if groups is None:
                groups = {str(r.data["group"]) for r in playbook.all("role")}
            if str(entry["group"]) not in groups:
                yield at(
                    kpi,
                    ("team_targets", index, "group"),
                    f"no role in roles.yaml is in the group '{entry['group']}', so this target applies to "
                    "nobody; remove it or use the group of the team it is for",
                )
