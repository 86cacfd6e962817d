"""Each step of an escalation path says where the case goes: one role, several roles, or
branches, and a branched step ends with one branch for every other case.

A step names exactly one of `role` (one role), `roles` (several on the same footing) or
`branches` (where the case goes depends on the case). Every branch but the last says `if`;
the last branch has no `if` and takes every other case, so no case is left without a next
step — and a branch without `if` before the end would hide the branches after it.

**Passes** — `categories/wrong-item.yaml`:

```yaml
escalation_path:
  - when: The item needs a professional check.
    branches:
      - {if: The wrong item is a medicine., role: duty-pharmacist}
      - {role: case-owner}
```

**Fails** — no branch for every other case, and a step with two kinds of target:

```yaml
escalation_path:
  - when: The item needs a professional check.
    branches:
      - {if: The wrong item is a medicine., role: duty-pharmacist}
      - {if: The wrong item is a cosmetic., role: case-owner}
  - {role: head, roles: [lead, head], when: Nobody else can.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "escalation-branches"
SEVERITY: Severity = "error"
SUMMARY = "An escalation step names one role, several roles or branches; branches end with an otherwise."
SCOPE = "file"  # its findings in a file depend on that file and the single files only

_KINDS = ("role", "roles", "branches")


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        for index, entry in enumerate(category.data.get("escalation_path", [])):
            given = [key for key in _KINDS if key in entry]
            if not given:
                yield at(
                    category,
                    ("escalation_path", index),
                    "this step names no role; write role: (one role), roles: (several on the same "
                    "footing) or branches: (where the case goes depends on the case)",
                )
                continue
            if len(given) > 1:
                yield at(
                    category,
                    ("escalation_path", index, given[1]),
                    f"this step has both {given[0]} and {given[1]}; keep one — role for one role, roles "
                    "for several on the same footing, branches for a choice that depends on the case",
                    key=True,
                )
                continue
            branches = entry.get("branches") or []
            if not branches:
                continue
            last = len(branches) - 1
            for number, branch in enumerate(branches):
                if number < last and "if" not in branch:
                    yield at(
                        category,
                        ("escalation_path", index, "branches", number, "role"),
                        "only the last branch may leave out 'if' (it takes every other case); add the "
                        "condition, or move this branch to the end",
                    )
            if "if" in branches[last]:
                yield at(
                    category,
                    ("escalation_path", index, "branches", last, "if"),
                    "the last branch still has a condition, so a case that meets none has nowhere to "
                    "go; add a last branch without 'if' for every other case (e.g. - role: case-owner)",
                    key=True,
                )
