"""Training sections name only their module's objectives, and every objective is taught.

A section's `objectives` lists ids from the module's `objectives`, so the trainer edition
can show which part of the session serves which objective. An id that is not an objective
of the module is a typing mistake; an objective no section lists is promised but never
taught.

**Passes** — `training/basics.yaml`:

```yaml
objectives:
  - {id: greet, text: Greet the customer by name.}
sections:
  - {id: intro, title: Introduction, duration: PT1H, objectives: [greet], content: …}
```

**Fails** — `greeting` is not an objective, so `greet` is never taught:

```yaml
objectives:
  - {id: greet, text: Greet the customer by name.}
sections:
  - {id: intro, title: Introduction, duration: PT1H, objectives: [greeting], content: …}
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "training-objectives"
SEVERITY: Severity = "error"
SUMMARY = "Training sections name only their module's objectives, and every objective is taught."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for module in playbook.all("training"):
        objectives = [str(o["id"]) for o in module.data.get("objectives", [])]
        taught: set[str] = set()
        for s_index, section in enumerate(module.data.get("sections", [])):
            for o_index, objective in enumerate(section.get("objectives", [])):
                taught.add(str(objective))
                if objective in objectives:
                    continue
                close = difflib.get_close_matches(str(objective), objectives, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(objectives)}"
                yield at(
                    module,
                    ("sections", s_index, "objectives", o_index),
                    f"'{objective}' is not an objective of this module; {hint}",
                )
        for index, objective in enumerate(objectives):
            if objective not in taught:
                yield at(
                    module,
                    ("objectives", index, "id"),
                    f"no section teaches the objective '{objective}'; list it under objectives in the "
                    "section that covers it",
                )
