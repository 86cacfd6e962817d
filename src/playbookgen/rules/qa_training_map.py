"""Every QA item maps to at least one objective of a training module.

When a review finds a gap, the coach needs to know which module teaches the behaviour.
Each scorecard item lists under `trains` the module and the objective id (from that
module's `objectives`) it checks.

**Passes** — `qa/contact-quality.yaml`, where `training/basics.yaml` has objective `greet`:

```yaml
- id: greet
  text: Greets the customer by name.
  weight: 40
  scale: binary
  trains: [{module: basics, objective: greet}]
```

**Fails** — the module has no objective `greeting`:

```yaml
- id: greet
  text: Greets the customer by name.
  weight: 40
  scale: binary
  trains: [{module: basics, objective: greeting}]
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "qa-training-map"
SEVERITY: Severity = "error"
SUMMARY = "Every QA item maps to at least one existing training module objective."
READS = {"qa": ("sections",), "training": ("objectives",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for card in playbook.all("qa"):
        for s_index, section in enumerate(card.data.get("sections", [])):
            for i_index, item in enumerate(section.get("items", [])):
                where = ("sections", s_index, "items", i_index)
                links = item.get("trains", [])
                if not links:
                    yield at(
                        card,
                        (*where, "id"),
                        f"the QA item '{item['id']}' is not mapped to training; add trains: with the module "
                        "and objective that teach it",
                    )
                for t_index, link in enumerate(links):
                    module = playbook.get("training", str(link["module"]))
                    if module is None:
                        continue
                    objectives = [str(o["id"]) for o in module.data.get("objectives", [])]
                    objective = str(link["objective"])
                    if objective in objectives:
                        continue
                    close = difflib.get_close_matches(objective, objectives, n=1, cutoff=0.6)
                    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(objectives)}"
                    yield at(
                        card,
                        (*where, "trains", t_index, "objective"),
                        f"the module '{module.id}' has no objective '{objective}'; {hint}",
                    )
