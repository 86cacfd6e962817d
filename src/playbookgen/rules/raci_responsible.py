"""Every RACI activity has at least one Responsible role.

Responsible (R) roles do the work. An activity nobody is responsible for is an activity
nobody does — the accountable role alone does not count, since A answers for the outcome.

**Passes** — `raci.yaml`:

```yaml
assignments: {agent: R, lead: A}
```

**Fails**:

```yaml
assignments: {agent: C, lead: A}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, letters

ID = "raci-responsible"
SEVERITY: Severity = "error"
SUMMARY = "Every RACI activity has at least one Responsible (R) role."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for activity in playbook.all("activity"):
        assignments = activity.data.get("assignments", {})
        if not any("R" in letters(cell) for cell in assignments.values()):
            yield at(
                activity,
                ("assignments",),
                f"nobody is Responsible for '{activity.id}'; give at least one role the letter R "
                "(the role that does the work)",
                key=True,
            )
