"""More impact or more urgency never lowers the priority.

Moving from a cell of the matrix to one with a higher impact (same urgency), or a higher
urgency (same impact), must give the same or a higher priority (a lower `rank`). Otherwise
a worse problem would be handled more slowly than a milder one.

**Passes** — `priorities.yaml`:

```yaml
matrix:
  - {impact: high, urgency: high, priority: p1}
  - {impact: high, urgency: low, priority: p1}
  - {impact: low, urgency: high, priority: p1}
  - {impact: low, urgency: low, priority: p2}
```

**Fails** — high impact × low urgency gets a lower priority than low × low:

```yaml
matrix:
  - {impact: high, urgency: high, priority: p1}
  - {impact: high, urgency: low, priority: p3}
  - {impact: low, urgency: high, priority: p1}
  - {impact: low, urgency: low, priority: p2}
```
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "priority-matrix-monotone"
SEVERITY: Severity = "error"
SUMMARY = "More impact or more urgency never gives a lower priority."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.file("priorities")
    if doc is None or not isinstance(doc.data, dict):
        return
    cells: dict[tuple[str, str], tuple[int, Item]] = {}
    for index, cell in enumerate(doc.data.get("matrix", [])):
        priority = playbook.get("priority", str(cell["priority"]))
        pair = (str(cell["impact"]), str(cell["urgency"]))
        if priority is not None and pair not in cells:
            cells[pair] = (index, priority)
    impacts = sorted(playbook.all("impact"), key=lambda i: int(i.data["rank"]))
    urgencies = sorted(playbook.all("urgency"), key=lambda u: int(u.data["rank"]))
    for axis, levels, others in (("impact", impacts, urgencies), ("urgency", urgencies, impacts)):
        for other in others:
            for higher, lower in itertools.pairwise(levels):
                pair_hi = (higher.id, other.id) if axis == "impact" else (other.id, higher.id)
                pair_lo = (lower.id, other.id) if axis == "impact" else (other.id, lower.id)
                if pair_hi not in cells or pair_lo not in cells:
                    continue
                (index, p_hi), (_, p_lo) = cells[pair_hi], cells[pair_lo]
                if int(p_hi.data["rank"]) > int(p_lo.data["rank"]):
                    yield Finding(
                        doc,
                        ("matrix", index, "priority"),
                        f"impact {pair_hi[0]} × urgency {pair_hi[1]} gives {p_hi.id}, lower than "
                        f"{p_lo.id} for the milder impact {pair_lo[0]} × urgency {pair_lo[1]}; more "
                        f"{axis} may never lower the priority — make it {p_lo.id} or higher",
                    )
