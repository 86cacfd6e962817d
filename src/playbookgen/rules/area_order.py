"""The stated order of case areas names the areas categories use.

`areas` in `playbook.yaml` lists case areas in the order readers meet them (the site's
navigation, the category index, the printed playbook). An area no category uses is a typo
or a leftover; a category whose area is not listed is shown after the listed ones, which is
rarely what was meant.

**Passes** — `playbook.yaml`, with every category in one of these areas:

```yaml
areas: [Orders & delivery, Returns & refunds]
```

**Fails** — no category is in 'Orders and delivery' (the categories write 'Orders & delivery'):

```yaml
areas: [Orders and delivery, Returns & refunds]
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "area-order"
SEVERITY: Severity = "warning"
SUMMARY = "The order of areas in playbook.yaml names the areas categories use, and all of them."
READS = {"category": ("area",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.docs.get("playbook.yaml")
    areas = playbook.settings.get("areas")
    if doc is None or not isinstance(areas, list):
        return
    used = sorted({str(c.data["area"]) for c in playbook.all("category")})
    for index, area in enumerate(areas):
        if area in used:
            continue
        close = difflib.get_close_matches(str(area), used, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "remove it"
        yield Finding(doc, ("areas", index), f"no category is in the area '{area}'; {hint}")
    listed = {str(a) for a in areas}
    for category in playbook.all("category"):
        area = str(category.data["area"])
        if area not in listed:
            listed.add(area)  # once per area, at its first category
            yield at(
                category,
                ("area",),
                f"the area '{area}' is not in areas in playbook.yaml, so it is listed after the others; "
                "add it there in its place, or use one of the listed areas",
            )
