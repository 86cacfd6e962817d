"""Nothing defined is left unused: every form and recovery script is used by a category,
and every role appears in the RACI.

A form or script that no category lists never reaches the agent who needs it: the site
shows it nowhere in a case's page and it quietly goes out of date. A role with no entry in
`raci.yaml` does nothing in the complaint flow, so either it is missing from the RACI or it
does not belong in the playbook. A form counts as used when a category lists it under
`forms` or names it as `closure_form`; a script when a category lists it under
`recovery_scripts`.

**Passes** — `categories/missing-item.yaml` uses the form and the script:

```yaml
forms: [complaint-intake]
closure_form: case-closure
recovery_scripts: [missing-item-call]
```

**Fails** — `forms/store-audit.yaml` exists but no category lists it:

```yaml
id: store-audit
title: Store audit
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "orphaned-item"
SEVERITY: Severity = "warning"
SUMMARY = "Every form and recovery script is used by a category; every role has a RACI entry."
READS = {"category": ("closure_form", "forms", "recovery_scripts")}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    forms: set[str] = set()
    scripts: set[str] = set()
    for category in playbook.all("category"):
        forms.update(category.data.get("forms", []))
        if "closure_form" in category.data:
            forms.add(category.data["closure_form"])
        scripts.update(category.data.get("recovery_scripts", []))
    for form in playbook.all("form"):
        if form.id not in forms:
            yield at(
                form,
                ("id",),
                f"no category uses the form '{form.id}'; list it under forms (or as closure_form) "
                "in the categories that need it, or delete the file",
            )
    for script in playbook.all("recovery"):
        if script.id not in scripts:
            yield at(
                script,
                ("id",),
                f"no category uses the recovery script '{script.id}'; list it under "
                "recovery_scripts in the categories it is for, or delete the file",
            )
    in_raci = {role for activity in playbook.all("activity") for role in activity.data.get("assignments", {})}
    for role in playbook.all("role"):
        if role.id not in in_raci:
            yield at(
                role,
                ("id",),
                f"the role '{role.id}' has no entry in raci.yaml; give it R, A, C or I on the "
                "activities it takes part in, or remove the role",
            )
