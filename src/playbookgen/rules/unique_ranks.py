"""Ranks of impacts, urgencies and priorities, and escalation level numbers, are unique.

Ranks order the levels: the matrix, the SLA comparisons and the "top priority" all read
them. Two priorities with rank 1, or two escalation levels numbered 2, make "higher" and
"lower" meaningless.

**Passes** — `priorities.yaml`:

```yaml
priorities:
  - {id: p1, rank: 1, name: Urgent, description: Act now.}
  - {id: p2, rank: 2, name: Normal, description: Act today.}
```

**Fails**:

```yaml
priorities:
  - {id: p1, rank: 1, name: Urgent, description: Act now.}
  - {id: p2, rank: 1, name: Normal, description: Act today.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen import kinds
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, line_of

ID = "unique-ranks"
SEVERITY: Severity = "error"
SUMMARY = "Impact, urgency and priority ranks and escalation level numbers are unique."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for kind, key in (("impact", "rank"), ("urgency", "rank"), ("priority", "rank"), ("level", "level")):
        seen: dict[int, Item] = {}
        for item in sorted(playbook.all(kind), key=lambda i: i.pos()):
            number = int(item.data[key])
            if number in seen:
                first = seen[number]
                yield at(
                    item,
                    (key,),
                    f"{key} {number} is already used by the {kinds.kind_name(kind)} '{first.id}' (line "
                    f"{line_of(first)}); give each {kinds.kind_name(kind)} its own {key}",
                )
            else:
                seen[number] = item
