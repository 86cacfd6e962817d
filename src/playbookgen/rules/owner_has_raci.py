"""Whoever owns a step or a form has R or A on its activity; escalation roles are in the RACI.

Each handling step of a category and each form names an owner and the RACI activity it
belongs to. The owner must be Responsible or Accountable for that activity in `raci.yaml`,
or the RACI and the playbook say different things about who does the work. Every role on a
category's escalation path must take part in the RACI (any letter), so that the person a
case escalates to knows their part.

**Passes** — `raci.yaml` gives the agent R on intake:

```yaml
steps:
  - do: Check the packing record.
    owner: agent
    activity: intake
```

**Fails** — the agent is only consulted (C) on close:

```yaml
steps:
  - do: Close the case with the root cause.
    owner: agent
    activity: close
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, path_roles, raci_of

ID = "owner-has-raci"
SEVERITY: Severity = "error"
SUMMARY = "Step and form owners have R or A on their activity; escalation roles are in the RACI."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    in_raci = {role for activity in playbook.all("activity") for role in activity.data.get("assignments", {})}
    for category in playbook.all("category"):
        for index, step in enumerate(category.data.get("steps", [])):
            yield from _owner(playbook, category, ("steps", index), str(step["owner"]), str(step["activity"]))
        for index, entry in enumerate(category.data.get("escalation_path", [])):
            for role, where in path_roles(entry):
                if playbook.get("role", role) is None or role in in_raci:
                    continue
                yield at(
                    category,
                    ("escalation_path", index, *where),
                    f"cases escalate to '{role}', which has no entry in raci.yaml; give it its part "
                    "(R, A, C or I) in the activities it handles",
                )
    for form in playbook.all("form"):
        yield from _owner(playbook, form, (), str(form.data["owner"]), str(form.data["activity"]))


def _owner(
    playbook: Playbook, item: Item, where: tuple[str | int, ...], role: str, activity: str
) -> Iterator[Finding]:
    if playbook.get("role", role) is None or playbook.get("activity", activity) is None:
        return
    cell = raci_of(playbook, activity, role)
    if "R" in cell or "A" in cell:
        return
    has = f" (it has {'/'.join(cell)})" if cell else ""
    yield at(
        item,
        (*where, "owner"),
        f"'{role}' owns this but has no R or A on the activity '{activity}' in raci.yaml{has}; give it "
        "R there, or make a role that is responsible the owner",
    )
