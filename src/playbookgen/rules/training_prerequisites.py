"""Training prerequisites never go round in a circle.

A module's `prerequisites` name modules to complete first (each must exist — reported as
`unknown-reference`). If A needs B and B, directly or through others, needs A, nobody can
ever start either.

**Passes** — `training/escalations.yaml`:

```yaml
id: escalations
prerequisites: [basics]
```

**Fails** — `training/basics.yaml` in turn needs `escalations`:

```yaml
id: basics
prerequisites: [escalations]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "training-prerequisites"
SEVERITY: Severity = "error"
SUMMARY = "Training prerequisites never go round in a circle."
READS = {"training": ("prerequisites",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    modules = {m.id: m for m in playbook.all("training")}
    for module in modules.values():
        for index, needed in enumerate(module.data.get("prerequisites", [])):
            if needed not in modules:
                continue
            route = _route(modules, str(needed), module.id)
            if route is not None:
                circle = " → ".join([module.id, *route])
                yield at(
                    module,
                    ("prerequisites", index),
                    f"the prerequisites go round in a circle ({circle}); remove one so that some "
                    "module can be taken first",
                )


def _route(modules: dict[str, Item], start: str, goal: str) -> list[str] | None:
    """The modules from ``start`` to ``goal`` following prerequisites, if ``goal`` is reachable."""
    parents: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        current = queue.pop(0)
        if current == goal:
            path = [current]
            while parents[path[-1]] is not None:
                path.append(str(parents[path[-1]]))
            return list(reversed(path))
        for nxt in modules[current].data.get("prerequisites", []):
            if nxt in modules and nxt not in parents:
                parents[nxt] = current
                queue.append(nxt)
    return None
