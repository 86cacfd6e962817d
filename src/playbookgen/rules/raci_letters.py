"""Every RACI cell holds one letter: R, A, C or I.

The schema lets a cell hold a few capital letters so that this rule can explain what to
write instead of failing on a pattern. One letter per cell keeps the RACI readable and
makes "exactly one A" checkable: R does the work, A answers for the outcome (one per
activity), C is consulted before, I is informed after. A role that is accountable and also
does the work keeps A, and the work is given R on another role.

**Passes** — `raci.yaml`:

```yaml
assignments: {agent: R, lead: A, qa: I}
```

**Fails**:

```yaml
assignments: {agent: R, lead: A/R, qa: X}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import RACI_LETTERS, Finding, at

ID = "raci-letters"
SEVERITY: Severity = "error"
SUMMARY = "Every RACI cell holds exactly one letter: R, A, C or I."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for activity in playbook.all("activity"):
        for role, cell in activity.data.get("assignments", {}).items():
            if str(cell).strip() not in RACI_LETTERS:
                yield at(
                    activity,
                    ("assignments", role),
                    f"'{cell}' is not one RACI letter; write R (does the work), A (answers for it, one "
                    "per activity), C (consulted) or I (informed)",
                )
