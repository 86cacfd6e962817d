"""A category's RACI overrides change activities its steps use, once each, and leave exactly
one Accountable role.

`raci_overrides` in a category changes the letters of `raci.yaml` for that case only (take
the marketplace agent off intake for a dispensing error, say). An override of an activity
none of the category's steps belongs to changes nothing anyone sees; an override that
leaves no Accountable role, or two, breaks the rule every activity keeps.

**Passes** — `categories/missing-item.yaml`, whose first step is an intake step:

```yaml
raci_overrides:
  - activity: intake
    assignments: {agent: "-", lead: R}
```

**Fails** — the lead becomes a second Accountable next to the head:

```yaml
raci_overrides:
  - activity: intake
    assignments: {lead: A}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, letters, line_of
from playbookgen.views import effective_assignments

ID = "raci-override"
SEVERITY: Severity = "error"
SUMMARY = "A category's RACI overrides change activities its steps use and keep exactly one Accountable."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        used = {str(step["activity"]) for step in category.data.get("steps", [])}
        seen: dict[str, int] = {}
        for index, entry in enumerate(category.data.get("raci_overrides", [])):
            activity = playbook.get("activity", str(entry["activity"]))
            if activity is None:
                continue
            if activity.id in seen:
                yield at(
                    category,
                    ("raci_overrides", index, "activity"),
                    f"'{activity.id}' is already overridden on line "
                    f"{line_of(category, 'raci_overrides', seen[activity.id])}; merge the two into one entry",
                )
                continue
            seen[activity.id] = index
            if activity.id not in used:
                yield at(
                    category,
                    ("raci_overrides", index, "activity"),
                    f"no step of this category belongs to '{activity.id}', so the override changes "
                    "nothing; remove it or name an activity of the category's steps",
                )
                continue
            merged = effective_assignments(activity.data.get("assignments", {}), entry["assignments"])
            accountable = [role for role, cell in merged.items() if "A" in letters(cell)]
            if len(accountable) == 1:
                continue
            if not accountable:
                message = (
                    f"after this override nobody is Accountable for '{activity.id}' on this case; give "
                    "exactly one role the letter A"
                )
            else:
                names = ", ".join(repr(r) for r in accountable[:-1]) + f" and '{accountable[-1]}'"
                message = (
                    f"after this override {names} are all Accountable for '{activity.id}' on this case; "
                    "exactly one role is — make the others R, C or I"
                )
            yield at(category, ("raci_overrides", index, "assignments"), message, key=True)
