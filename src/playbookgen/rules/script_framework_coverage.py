"""A recovery script covers every stage of the framework it declares, in order.

LAST is listen, apologise, solve, thank; HEARD is hear, empathise, apologise, resolve,
diagnose; LATTE is listen, acknowledge, take-action, thank, explain; LEARN is listen,
empathise, apologise, react, notify. Trainers teach the framework as a whole, so a script
that declares one has a step for each of its stages, only those stages, in the framework's
order (a stage may have several steps).

**Passes** — `recovery/missing-item-email.yaml`:

```yaml
framework: LAST
steps:
  - {stage: listen, guidance: …, say: [...]}
  - {stage: apologise, guidance: …, say: [...]}
  - {stage: solve, guidance: …, say: [...]}
  - {stage: thank, guidance: …, say: [...]}
```

**Fails** — no `thank` step, and `diagnose` is not a LAST stage:

```yaml
framework: LAST
steps:
  - {stage: listen, guidance: …, say: [...]}
  - {stage: apologise, guidance: …, say: [...]}
  - {stage: solve, guidance: …, say: [...]}
  - {stage: diagnose, guidance: …, say: [...]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.views import FRAMEWORKS

ID = "script-framework-coverage"
SEVERITY: Severity = "error"
SUMMARY = "A recovery script has a step for every stage of its framework, in order."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for script in playbook.all("recovery"):
        framework = str(script.data["framework"])
        stages = FRAMEWORKS.get(framework)
        if stages is None:
            continue
        listed = ", ".join(stages)
        present: set[str] = set()
        reached = -1
        for index, step in enumerate(script.data.get("steps", [])):
            stage = str(step["stage"])
            if stage not in stages:
                yield at(
                    script,
                    ("steps", index, "stage"),
                    f"'{stage}' is not a stage of {framework} ({listed}); use one of those stages or "
                    "change the framework",
                )
                continue
            position = stages.index(stage)
            if position < reached:
                yield at(
                    script,
                    ("steps", index, "stage"),
                    f"'{stage}' comes after '{stages[reached]}', but {framework} goes {listed}; put the "
                    "steps in the framework's order",
                )
            reached = max(reached, position)
            present.add(stage)
        missing = [stage for stage in stages if stage not in present]
        if missing:
            yield at(
                script,
                ("framework",),
                f"{framework} has the stages {listed}, but this script has no step for "
                f"{', '.join(missing)}; add a step for each",
            )
