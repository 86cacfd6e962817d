"""A cheat sheet covers channels its role answers, and categories handled on those channels.

A one-page sheet is printed for one role and one channel family. Each channel it lists is
in that family and answered by the role (`handled_by` in `channels.yaml`), and each category
it shows is handled on at least one of the sheet's channels (all the family's channels the
role answers, when the sheet lists none) — otherwise the sheet teaches cases the role
never sees.

**Passes** — `playbook.yaml`, the agent answers email:

```yaml
cheat_sheets:
  - {id: agent-online, title: Agent sheet, role: agent, family: online,
     channels: [email], categories: [missing-item]}
```

**Fails** — the store is an offline channel, on a sheet for online channels:

```yaml
cheat_sheets:
  - {id: agent-online, title: Agent sheet, role: agent, family: online,
     channels: [email, store], categories: [missing-item]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "cheat-sheet-scope"
SEVERITY: Severity = "warning"
SUMMARY = "A cheat sheet lists channels its role answers in its family, and categories handled there."
READS = {"category": ("channels",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for sheet in playbook.all("cheat-sheet"):
        role, family = str(sheet.data["role"]), str(sheet.data["family"])
        if playbook.get("role", role) is None:
            continue
        scope: set[str] = set()
        for index, channel_id in enumerate(sheet.data.get("channels", [])):
            channel = playbook.get("channel", str(channel_id))
            if channel is None:
                continue
            if channel.data["family"] != family:
                yield at(
                    sheet,
                    ("channels", index),
                    f"'{channel.id}' is an {channel.data['family']} channel, but the sheet is for {family} "
                    "channels; remove it or make a sheet for that family",
                )
            elif role not in channel.data.get("handled_by", []):
                yield at(
                    sheet,
                    ("channels", index),
                    f"'{role}' does not answer '{channel.id}' (handled_by in channels.yaml); remove the "
                    "channel from the sheet or add the role to the channel",
                )
            else:
                scope.add(channel.id)
        if "channels" not in sheet.data:
            scope = {
                c.id
                for c in playbook.all("channel")
                if c.data["family"] == family and role in c.data["handled_by"]
            }
        for index, category_id in enumerate(sheet.data.get("categories", [])):
            category = playbook.get("category", str(category_id))
            if category is None or scope & set(category.data.get("channels", [])):
                continue
            yield at(
                sheet,
                ("categories", index),
                f"'{category.id}' is not handled on any channel of this sheet "
                f"({', '.join(sorted(scope)) or 'none'}); remove it from the sheet or add the channel",
            )
