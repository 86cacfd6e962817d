"""QA scorecard weights add up to exactly 100; critical items say what failing them does.

Convention: each item's `weight` is its share of the whole scorecard in points, so the
weights of all items in all sections add up to exactly 100 and a review's score reads as a
percentage against the `pass_mark` (0–100, checked by the schema). A `critical` item must
declare its `fail_effect` (`zero-section` or `zero-review`); only critical items may have
one.

**Passes** — `qa/contact-quality.yaml`:

```yaml
sections:
  - id: opening
    title: Opening
    items:
      - {id: greet, text: Greets the customer., weight: 40, scale: binary}
      - {id: verify, text: Verifies identity., weight: 60, scale: binary,
         critical: true, fail_effect: zero-review}
```

**Fails** — weights add up to 90, and the critical item has no fail effect:

```yaml
sections:
  - id: opening
    title: Opening
    items:
      - {id: greet, text: Greets the customer., weight: 40, scale: binary}
      - {id: verify, text: Verifies identity., weight: 50, scale: binary, critical: true}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "qa-weights"
SEVERITY: Severity = "error"
SUMMARY = "QA item weights add up to exactly 100; critical items (only) declare a fail effect."
READS = {"qa": ("sections",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for card in playbook.all("qa"):
        total = 0.0
        for s_index, section in enumerate(card.data.get("sections", [])):
            for i_index, item in enumerate(section.get("items", [])):
                total += float(item["weight"])
                where = ("sections", s_index, "items", i_index)
                if item.get("critical") and "fail_effect" not in item:
                    yield at(
                        card,
                        (*where, "critical"),
                        f"the critical item '{item['id']}' does not say what failing it does; add "
                        "fail_effect: zero-section or fail_effect: zero-review",
                    )
                if not item.get("critical") and "fail_effect" in item:
                    yield at(
                        card,
                        (*where, "fail_effect"),
                        f"only critical items zero a score, and '{item['id']}' is not critical; set "
                        "critical: true or remove fail_effect",
                    )
        if abs(total - 100) > 1e-6:
            yield at(
                card,
                ("sections",),
                f"the item weights add up to {total:g}, not 100; each weight is the item's share of the "
                "score in points, so all weights together must make exactly 100",
                key=True,
            )
