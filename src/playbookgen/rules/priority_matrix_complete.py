"""The impact × urgency matrix has exactly one cell for every pair, and every priority is
reachable.

Agents never type a priority: they pick impact and urgency, and the matrix gives the
priority (and so the SLA). A missing pair leaves some cases with no priority; a pair listed
twice gives two answers. A priority that no cell gives is never used, and its SLA targets
never apply.

**Passes** — `priorities.yaml` with two impacts and two urgencies:

```yaml
matrix:
  - {impact: high, urgency: high, priority: p1}
  - {impact: high, urgency: low, priority: p1}
  - {impact: low, urgency: high, priority: p1}
  - {impact: low, urgency: low, priority: p2}
```

**Fails** — low × low is missing, so p2 is never given:

```yaml
matrix:
  - {impact: high, urgency: high, priority: p1}
  - {impact: high, urgency: low, priority: p1}
  - {impact: low, urgency: high, priority: p1}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "priority-matrix-complete"
SEVERITY: Severity = "error"
SUMMARY = "The impact × urgency matrix has one cell per pair and gives every priority."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.file("priorities")
    if doc is None or not isinstance(doc.data, dict):
        return
    seen: dict[tuple[str, str], int] = {}
    given: set[str] = set()
    for index, cell in enumerate(doc.data.get("matrix", [])):
        pair = (str(cell["impact"]), str(cell["urgency"]))
        given.add(str(cell["priority"]))
        if pair in seen:
            first = doc.pos(("matrix", seen[pair]))[0]
            yield Finding(
                doc,
                ("matrix", index),
                f"impact {pair[0]} × urgency {pair[1]} already has a cell on line {first}; keep one",
            )
        else:
            seen[pair] = index
    impacts = sorted(playbook.all("impact"), key=lambda i: int(i.data["rank"]))
    urgencies = sorted(playbook.all("urgency"), key=lambda u: int(u.data["rank"]))
    for impact in impacts:
        for urgency in urgencies:
            if (impact.id, urgency.id) not in seen:
                yield Finding(
                    doc,
                    ("matrix",),
                    f"there is no cell for impact {impact.id} × urgency {urgency.id}; add "
                    f"{{impact: {impact.id}, urgency: {urgency.id}, priority: …}}",
                    key=True,
                )
    for priority in playbook.all("priority"):
        if priority.id not in given:
            yield Finding(
                doc,
                (*priority.path, "id"),
                f"no cell of the matrix gives the priority {priority.id}, so it is never used; give it "
                "to a cell of the matrix or remove it",
            )
