"""Goodwill authority never decreases going up; period caps cover single-case caps.

For each compensation type, the role someone reports to (the nearest one up the
`reports_to` line that has limits in `authority.yaml`) and the role named as `approver`
may grant at least as much per case and per customer as the role below them — otherwise
an agent would need approval from someone who may grant less than the agent. Within one
cap, `per_customer` (over the `period`) is at least `per_case`.

**Passes** — `authority.yaml` (the agent reports to the lead):

```yaml
limits:
  - role: agent
    approver: lead
    caps: [{type: voucher, per_case: 10, per_customer: 20}]
  - role: lead
    caps: [{type: voucher, per_case: 50, per_customer: 100}]
```

**Fails** — the lead may grant less than the agent, and 5 per customer is below 10 per case:

```yaml
limits:
  - role: agent
    approver: lead
    caps: [{type: voucher, per_case: 10, per_customer: 5}]
  - role: lead
    caps: [{type: voucher, per_case: 8, per_customer: 100}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playbookgen.loader import Document
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding
from playbookgen.views import currency, money

ID = "authority-monotone"
SEVERITY: Severity = "error"
SUMMARY = "Goodwill caps never decrease up the reporting line or to the approver; per customer ≥ per case."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.file("authority")
    if doc is None or not isinstance(doc.data, dict):
        return
    cur = currency(playbook)
    limits: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, entry in enumerate(doc.data.get("limits", [])):
        limits.setdefault(str(entry["role"]), (index, entry))
    for index, entry in enumerate(doc.data.get("limits", [])):
        role = str(entry["role"])
        for cap_index, cap in enumerate(entry.get("caps", [])):
            if cap["per_customer"] < cap["per_case"]:
                yield Finding(
                    doc,
                    ("limits", index, "caps", cap_index, "per_customer"),
                    f"'{role}' may grant {money(cap['per_case'], cur)} of {cap['type']} on one case but "
                    f"only {money(cap['per_customer'], cur)} per customer over the period; raise "
                    "per_customer to at least per_case",
                )
        if playbook.get("role", role) is None:
            continue
        above = _boss_with_limits(playbook, role, limits)
        if above is not None:
            yield from _compare(doc, index, entry, above, limits, "reports to", cur)
        approver = entry.get("approver")
        if approver is None or playbook.get("role", str(approver)) is None:
            continue
        if str(approver) not in limits:
            yield Finding(
                doc,
                ("limits", index, "approver"),
                f"the approver '{approver}' has no limits in authority.yaml, so it may approve nothing; "
                "add its caps or name another approver",
            )
        elif str(approver) != above:
            yield from _compare(doc, index, entry, str(approver), limits, "is approved by", cur)


def _boss_with_limits(
    playbook: Playbook, role: str, limits: dict[str, tuple[int, dict[str, Any]]]
) -> str | None:
    seen = {role}
    current = playbook.get("role", role)
    while current is not None:
        boss = current.data.get("reports_to")
        if boss is None or str(boss) in seen:
            return None
        if str(boss) in limits:
            return str(boss)
        seen.add(str(boss))
        current = playbook.get("role", str(boss))
    return None


def _compare(
    doc: Document,
    index: int,
    entry: dict[str, Any],
    other: str,
    limits: dict[str, tuple[int, dict[str, Any]]],
    relation: str,
    cur: str,
) -> Iterator[Finding]:
    role = str(entry["role"])
    other_caps = {str(c["type"]): c for c in limits[other][1].get("caps", [])}
    for cap_index, cap in enumerate(entry.get("caps", [])):
        kind = str(cap["type"])
        upper = other_caps.get(kind)
        if upper is None:
            yield Finding(
                doc,
                ("limits", index, "caps", cap_index, "type"),
                f"'{role}' may grant {kind}, but '{other}', whom it {relation}, may not; give '{other}' a "
                f"{kind} cap at least as high",
            )
            continue
        for field, words in (("per_case", "per case"), ("per_customer", "per customer")):
            if upper[field] < cap[field]:
                yield Finding(
                    doc,
                    ("limits", index, "caps", cap_index, field),
                    f"'{role}' may grant {money(cap[field], cur)} of {kind} {words}, more than "
                    f"'{other}' ({money(upper[field], cur)}), whom it {relation}; authority never "
                    f"decreases going up — raise '{other}' or lower this cap",
                )
