"""A training module's duration equals the sum of its sections' durations.

The trainer edition prints the module duration on the cover and a timing per section; when
they disagree, sessions run over or are booked too long. Make the module's `duration` the
sum of its sections (breaks included in a section of their own, if you plan them).

**Passes** — `training/basics.yaml`:

```yaml
duration: PT1H30M
sections:
  - {id: intro, duration: PT1H}
  - {id: practice, duration: PT30M}
```

**Fails** — the sections add up to 1 hour 15 minutes:

```yaml
duration: PT1H30M
sections:
  - {id: intro, duration: PT1H}
  - {id: practice, duration: PT15M}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from playbookgen.durations import parse_duration
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.wording import ENGLISH

ID = "training-duration-sum"
SEVERITY: Severity = "warning"
SUMMARY = "A training module's duration equals the sum of its sections' durations."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for module in playbook.all("training"):
        duration = parse_duration(module.data.get("duration"))
        parts = [parse_duration(s.get("duration")) for s in module.data.get("sections", [])]
        if duration is None or any(p is None for p in parts):
            continue
        total = sum((p for p in parts if p is not None), timedelta())
        if total != duration:
            yield at(
                module,
                ("duration",),
                f"the module takes {ENGLISH.duration(duration)} but its sections add up to "
                f"{ENGLISH.duration(total)}; make the module duration the sum of its sections",
            )
