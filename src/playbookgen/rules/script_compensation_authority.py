"""Compensation in a recovery script is within the authority of the role that gives it.

A script that tells an agent to offer a EUR 25 voucher when the agent may grant EUR 15
sets the agent up to break the authority matrix in front of the customer. The role that
gives the compensation is the owner of the script's resolving step (solve, resolve,
take-action or react) when that step names one, and otherwise the script's owner. An amount
above that role's `per_case` cap in `authority.yaml` needs `approved_by:` naming a role
whose cap covers it.

**Passes** — `recovery/missing-item-email.yaml`, the agent may grant a EUR 10 voucher:

```yaml
owner: agent
compensation:
  - {type: voucher, amount: 10, when: Always.}
  - {type: voucher, amount: 40, when: Second failure., approved_by: lead}
```

**Fails**:

```yaml
owner: agent
compensation:
  - {type: voucher, amount: 40, when: Always.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.views import authority_for, currency, money

ID = "script-compensation-authority"
SEVERITY: Severity = "error"
SUMMARY = "Compensation in a recovery script is within the giver's cap, or approved by a role that covers it."
SCOPE = "file"  # its findings in a file depend on that file and the single files only

RESOLVING_STAGES = ("solve", "resolve", "take-action", "react")


def check(playbook: Playbook) -> Iterator[Finding]:
    cur = currency(playbook)
    for script in playbook.all("recovery"):
        giver = str(script.data["owner"])
        for step in script.data.get("steps", []):
            if step.get("stage") in RESOLVING_STAGES and step.get("owner"):
                giver = str(step["owner"])
                break
        if playbook.get("role", giver) is None:
            continue
        for index, offer in enumerate(script.data.get("compensation", [])):
            kind, amount = str(offer["type"]), float(offer["amount"])
            if playbook.get("compensation-type", kind) is None:
                continue
            cap = _cap(playbook, giver, kind)
            if cap is not None and amount <= cap:
                continue
            mine = (
                f"may grant {money(cap, cur)} of {kind} per case" if cap is not None else f"has no {kind} cap"
            )
            approver = offer.get("approved_by")
            if approver is None:
                yield at(
                    script,
                    ("compensation", index, "amount"),
                    f"{money(amount, cur)} of {kind} is more than '{giver}' may give ('{giver}' {mine} in "
                    "authority.yaml); lower the amount or add approved_by: a role whose cap covers it",
                )
                continue
            if playbook.get("role", str(approver)) is None:
                continue
            upper = _cap(playbook, str(approver), kind)
            if upper is None or amount > upper:
                theirs = f"up to {money(upper, cur)}" if upper is not None else "no"
                yield at(
                    script,
                    ("compensation", index, "approved_by"),
                    f"'{approver}' may approve {theirs} {kind} per case, not {money(amount, cur)}; name "
                    "an approver whose cap covers the amount, or lower it",
                )


def _cap(playbook: Playbook, role: str, kind: str) -> float | None:
    limits = authority_for(playbook, role)
    for cap in limits.get("caps", []) if limits is not None else []:
        if cap.get("type") == kind:
            return float(cap["per_case"])
    return None
