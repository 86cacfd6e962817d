"""Escalation paths go strictly up the escalation levels and never loop; reporting lines
never go down or loop.

Each role on a category's `escalation_path` must work at a higher escalation level (the
`level` numbers in `roles.yaml`) than the roles of the step before it, and no role may appear
twice — otherwise a case goes back down or round in a circle. Roles that share a level go
together in one step (`roles: [store-manager, bpo-team-lead]`); on a step with `branches`,
every branch's role must be above the step before, and the next step above every branch.
Roles without a level (partner teams) are skipped. A role's `reports_to` never leads to a
lower level, and the reporting line never comes back to where it started.

**Passes** — `categories/missing-item.yaml` (agent on level 1, lead on 2, head on 3):

```yaml
escalation_path:
  - {role: lead, when: The customer disputes the answer.}
  - {role: head, when: The lead cannot resolve it.}
```

Two roles on one level share a step:

```yaml
escalation_path:
  - {roles: [lead, store-manager], when: The customer disputes the answer.}
  - {role: head, when: Neither can resolve it.}
```

**Fails** — the path goes down from head to lead:

```yaml
escalation_path:
  - {role: head, when: The customer disputes the answer.}
  - {role: lead, when: The head cannot resolve it.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, level_number, line_of, path_roles

ID = "escalation-upward"
SEVERITY: Severity = "error"
SUMMARY = "Escalation paths go strictly up the escalation levels; reporting lines never go down or loop."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        seen: dict[str, int] = {}
        last: tuple[int, str] | None = None
        for index, entry in enumerate(category.data.get("escalation_path", [])):
            highest: tuple[int, str] | None = None
            for role, where in path_roles(entry):
                if role in seen:
                    yield at(
                        category,
                        ("escalation_path", index, *where),
                        f"'{role}' is already on this escalation path (line "
                        f"{line_of(category, 'escalation_path', seen[role])}); a path never comes back to "
                        "a role",
                    )
                    continue
                seen[role] = index
                number = level_number(playbook, role)
                if number is None:
                    continue
                if last is not None and number <= last[0]:
                    yield at(
                        category,
                        ("escalation_path", index, *where),
                        f"'{role}' works at level {number}, not above '{last[1]}' (level {last[0]}) before "
                        "it; an escalation path goes strictly up — reorder it or pick a higher role (roles "
                        "that share a level go together in one step: roles: [a, b])",
                    )
                if highest is None or number > highest[0]:
                    highest = (number, role)
            if highest is not None:
                last = highest
    for person in playbook.all("role"):
        boss = person.data.get("reports_to")
        if boss is None or playbook.get("role", str(boss)) is None:
            continue
        chain, current = [person.id], str(boss)
        while current not in chain:
            chain.append(current)
            upper = playbook.get("role", current)
            nxt = upper.data.get("reports_to") if upper is not None else None
            if nxt is None or playbook.get("role", str(nxt)) is None:
                break
            current = str(nxt)
        else:
            if current == person.id:
                loop = " → ".join([*chain, person.id])
                yield at(
                    person,
                    ("reports_to",),
                    f"the reporting line goes round in a circle ({loop}); someone at the top reports "
                    "to no one — remove one reports_to",
                )
                continue
        own, upper_level = level_number(playbook, person.id), level_number(playbook, str(boss))
        if own is not None and upper_level is not None and upper_level < own:
            yield at(
                person,
                ("reports_to",),
                f"'{person.id}' (level {own}) reports to '{boss}' on the lower level {upper_level}; a role "
                "reports to someone on its own escalation level or higher",
            )
