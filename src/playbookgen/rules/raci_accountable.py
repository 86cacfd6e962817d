"""Every RACI activity has exactly one Accountable role.

Accountable (A) is the one role that answers for the outcome and signs it off. With none,
nobody owns the activity; with two, each expects the other to decide.

**Passes** — `raci.yaml`:

```yaml
activities:
  - id: intake
    name: Take in the complaint
    assignments: {agent: R, lead: A}
```

**Fails** — two roles are accountable:

```yaml
activities:
  - id: intake
    name: Take in the complaint
    assignments: {agent: A, lead: A}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, letters

ID = "raci-accountable"
SEVERITY: Severity = "error"
SUMMARY = "Every RACI activity has exactly one Accountable (A) role."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for activity in playbook.all("activity"):
        assignments = activity.data.get("assignments", {})
        accountable = [role for role, cell in assignments.items() if "A" in letters(cell)]
        if not accountable:
            yield at(
                activity,
                ("assignments",),
                f"nobody is Accountable for '{activity.id}'; give exactly one role the letter A",
                key=True,
            )
        for role in accountable[1:]:
            yield at(
                activity,
                ("assignments", role),
                f"'{role}' is Accountable (A) for '{activity.id}' as well as '{accountable[0]}'; exactly "
                "one role is accountable — make the others R, C or I",
            )
