"""Training durations are more than zero, and exercises fit inside their section.

Trainers plan sessions from the module, section and exercise durations printed in the
trainer edition; a zero duration is a typing mistake, and exercises that together take
longer than their section cannot be run in it. A certification's validity is more than
zero too.

**Passes** — `training/basics.yaml`:

```yaml
duration: PT1H
sections:
  - id: intro
    duration: PT1H
    exercises:
      - {title: Role play, instructions: …, duration: PT20M}
```

**Fails**:

```yaml
duration: PT0M
sections:
  - id: intro
    duration: PT15M
    exercises:
      - {title: Role play, instructions: …, duration: PT20M}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from playbookgen.durations import parse_duration
from playbookgen.loader import JsonPath
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.wording import ENGLISH

ID = "training-duration"
SEVERITY: Severity = "error"
SUMMARY = (
    "Training, section, exercise and certification durations are above zero; exercises fit their section."
)
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for module in playbook.all("training"):
        data = module.data
        places: list[tuple[JsonPath, object]] = [(("duration",), data.get("duration"))]
        for s_index, section in enumerate(data.get("sections", [])):
            places.append((("sections", s_index, "duration"), section.get("duration")))
            total = timedelta()
            for e_index, exercise in enumerate(section.get("exercises", [])):
                if "duration" in exercise:
                    places.append(
                        (("sections", s_index, "exercises", e_index, "duration"), exercise["duration"])
                    )
                    total += parse_duration(exercise["duration"]) or timedelta()
            length = parse_duration(section.get("duration"))
            if length and total > length:
                yield at(
                    module,
                    ("sections", s_index, "duration"),
                    f"the exercises of '{section['id']}' take {ENGLISH.duration(total)}, longer than the "
                    f"section ({ENGLISH.duration(length)}); lengthen the section or shorten the exercises",
                )
        if "certification" in data:
            places.append((("certification", "validity"), data["certification"].get("validity")))
        for place, value in places:
            duration = parse_duration(value)
            if duration is not None and duration <= timedelta():
                yield at(module, place, f"{value} is no time at all; give the real duration, e.g. PT45M")
