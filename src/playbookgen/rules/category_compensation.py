"""A recovery script used on a category never offers compensation the category forbids.

A category can rule out a compensation type whatever a role's cap (`forbidden_compensation`:
no vouchers on a product-safety case, where a voucher reads as buying silence). Every
recovery script the category lists must then leave that type out — an agent follows the
script word for word in front of the customer.

**Passes** — `categories/missing-item.yaml` forbids refunds, its script offers a voucher:

```yaml
recovery_scripts: [missing-item-email]
forbidden_compensation:
  - {type: refund, reason: The order is refunded through the carrier claim, not as goodwill.}
```

**Fails** — the script it lists offers a voucher:

```yaml
recovery_scripts: [missing-item-email]
forbidden_compensation:
  - {type: voucher, reason: A voucher must not look like an answer to a safety report.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, line_of

ID = "category-compensation"
SEVERITY: Severity = "error"
SUMMARY = "Recovery scripts used on a category offer no compensation type the category forbids."
READS = {"category": ("forbidden_compensation", "recovery_scripts"), "recovery": ("compensation",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        forbidden = {
            str(entry["type"]): index
            for index, entry in enumerate(category.data.get("forbidden_compensation", []))
        }
        if not forbidden:
            continue
        for script_id in category.data.get("recovery_scripts", []):
            script = playbook.get("recovery", str(script_id))
            if script is None:
                continue
            for index, offer in enumerate(script.data.get("compensation", [])):
                kind = str(offer["type"])
                if kind not in forbidden:
                    continue
                line = line_of(category, "forbidden_compensation", forbidden[kind])
                yield at(
                    script,
                    ("compensation", index, "type"),
                    f"'{category.id}' never offers {kind} ({category.doc.relpath} line {line}), but this "
                    f"script, listed for it, does; offer another type, or give '{category.id}' a script "
                    "without it",
                )
