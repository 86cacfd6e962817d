"""The helpdesk mapping is one to one: each playbook priority maps once, to a helpdesk
priority no other playbook priority has, and each helpdesk source belongs to one channel.

Zendesk and Freshdesk hold one SLA target per priority, so two playbook priorities on the
same helpdesk priority cannot both be exported, and `measure` could not tell their tickets
apart; a Via or Source value listed under two channels would count its tickets twice.

**Passes** — `helpdesk.yaml`:

```yaml
priorities:
  - {priority: p1, level: urgent}
  - {priority: p2, level: normal}
channels:
  - {channel: email, zendesk: [Mail], freshdesk: [Email]}
```

**Fails** — p2 mapped twice, two priorities on urgent, Mail under two channels:

```yaml
priorities:
  - {priority: p1, level: urgent}
  - {priority: p2, level: urgent}
  - {priority: p2, level: low}
channels:
  - {channel: email, zendesk: [Mail]}
  - {channel: web-tickets, zendesk: [Mail]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "helpdesk-mapping"
SEVERITY: Severity = "error"
SUMMARY = (
    "helpdesk.yaml maps each priority once, to its own helpdesk priority, and each source to one channel."
)
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.file("helpdesk")
    if doc is None or not isinstance(doc.data, dict):
        return
    priorities: dict[str, int] = {}
    levels: dict[str, tuple[int, str]] = {}
    for index, entry in enumerate(doc.data.get("priorities") or []):
        priority, level = str(entry.get("priority")), str(entry.get("level"))
        if priority in priorities:
            line = doc.pos(("priorities", priorities[priority]))[0]
            yield Finding(
                doc,
                ("priorities", index, "priority"),
                f"priority '{priority}' is already mapped on line {line}; map each priority once",
            )
            continue
        priorities[priority] = index
        if level in levels:
            line, first = doc.pos(("priorities", levels[level][0]))[0], levels[level][1]
            yield Finding(
                doc,
                ("priorities", index, "level"),
                f"'{first}' is already mapped to {level} (line {line}); the helpdesk holds one target "
                f"per priority — map '{priority}' to another of urgent, high, normal, low",
            )
            continue
        levels[level] = (index, priority)
    for source in ("zendesk", "freshdesk"):
        seen: dict[str, tuple[str, int]] = {}
        for index, entry in enumerate(doc.data.get("channels") or []):
            channel = str(entry.get("channel"))
            for number, value in enumerate(entry.get(source) or []):
                key = str(value).strip().lower()
                if key in seen and seen[key][0] != channel:
                    line = doc.pos(("channels", seen[key][1]))[0]
                    yield Finding(
                        doc,
                        ("channels", index, source, number),
                        f"{source} source '{value}' already belongs to channel '{seen[key][0]}' (line "
                        f"{line}); list each source under one channel",
                    )
                else:
                    seen.setdefault(key, (channel, index))
