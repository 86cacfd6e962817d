"""A step that needs a qualification is owned by a role that holds it, and a case that needs
one can reach such a role on its escalation path.

Some cases may only be handled by someone with a licence or a legal appointment: a
pharmacist for advice on a medicine, a product-safety officer for a safety report, the data
protection officer for a possible breach. A step with `requires_qualification` must be
owned by a role whose `qualifications` (in `roles.yaml`) list it. A category that requires
one, or has a step that does, must reach a role holding it: its owner or a role on its
escalation path (any branch counts).

**Passes** — `roles.yaml` and `categories/product-safety.yaml`:

```yaml
qualifications:
  - {id: product-safety-officer, name: Product-safety officer}
roles:
  - {id: safety-desk, name: Safety desk, group: partner, description: Product safety.,
     qualifications: [product-safety-officer]}
```

```yaml
requires_qualification: product-safety-officer
escalation_path:
  - {role: safety-desk, when: Every report of injury or risk of injury.}
```

**Fails** — the step's owner holds no such qualification, and nobody on the path does:

```yaml
requires_qualification: product-safety-officer
steps:
  - {do: Assess the risk., owner: lead, activity: investigate,
     requires_qualification: product-safety-officer}
escalation_path:
  - {role: head, when: The lead cannot resolve it.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, path_roles

ID = "qualified-role"
SEVERITY: Severity = "error"
SUMMARY = "A step that needs a qualification is owned by a role holding it; the case can reach one."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def _holders(playbook: Playbook, qualification: str) -> list[str]:
    return [r.id for r in playbook.all("role") if qualification in r.data.get("qualifications", [])]


def _holds(playbook: Playbook, role_id: str, qualification: str) -> bool:
    role = playbook.get("role", role_id)
    return role is not None and qualification in role.data.get("qualifications", [])


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        yield from _check_category(playbook, category)


def _check_category(playbook: Playbook, category: Item) -> Iterator[Finding]:
    data = category.data
    needed: dict[str, tuple[str | int, ...]] = {}
    if data.get("requires_qualification"):
        needed[str(data["requires_qualification"])] = ("requires_qualification",)
    for index, step in enumerate(data.get("steps", [])):
        wanted = step.get("requires_qualification")
        if not wanted:
            continue
        wanted = str(wanted)
        needed.setdefault(wanted, ("steps", index, "requires_qualification"))
        if playbook.get("qualification", wanted) is None or playbook.get("role", str(step["owner"])) is None:
            continue
        if not _holds(playbook, str(step["owner"]), wanted):
            holders = _holders(playbook, wanted)
            hint = (
                f"give the step to a role that holds it ({', '.join(holders)})"
                if holders
                else "no role holds it yet — add it to the qualifications of a role in roles.yaml"
            )
            yield at(
                category,
                ("steps", index, "owner"),
                f"this step requires the qualification '{wanted}', but '{step['owner']}' does not hold "
                f"it (qualifications in roles.yaml); {hint}",
            )
    reachable = [str(data["owner"])] + [
        role for entry in data.get("escalation_path", []) for role, _ in path_roles(entry)
    ]
    for wanted, where in needed.items():
        if playbook.get("qualification", wanted) is None:
            continue
        if any(_holds(playbook, role, wanted) for role in reachable):
            continue
        holders = _holders(playbook, wanted)
        hint = (
            f"add one of {', '.join(holders)} to the escalation path"
            if holders
            else "no role holds it yet — add it to the qualifications of a role in roles.yaml"
        )
        yield at(
            category,
            where,
            f"the case needs a '{wanted}', but neither its owner nor any role on its escalation path "
            f"holds that qualification; {hint}",
        )
