"""Every category has a recovery script for each channel family it is handled on, or a waiver.

A category handled online (chat, email, hotline…) needs a script for an online channel; one
handled in stores needs a script for the store. When a family truly needs none, say so with
a `recovery_waivers` entry and its reason, so the gap is a decision rather than an
oversight. A waiver for a family the category is not handled on, or already has a script
for, is reported too.

**Passes** — `categories/missing-item.yaml`, handled on email, with an email script:

```yaml
channels: [email]
recovery_scripts: [missing-item-email]
```

**Fails** — also handled in store, with no store script and no waiver:

```yaml
channels: [email, store]
recovery_scripts: [missing-item-email]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.views import channel_families

ID = "recovery-coverage"
SEVERITY: Severity = "error"
SUMMARY = "Every category has a recovery script per channel family it is handled on, or a waiver."
READS = {"category": ("channels", "recovery_scripts", "recovery_waivers"), "recovery": ("channels",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    known: dict[tuple[str, ...], set[str]] = {}

    def families_of(channels: list[str]) -> set[str]:
        """The channel families of a list of channels (the same lists recur: looked up once)."""
        key = tuple(channels)
        try:
            found = known.get(key)
        except TypeError:  # not ids (a schema error says so)
            return channel_families(playbook, channels)
        if found is None:
            found = known[key] = channel_families(playbook, channels)
        return found

    for category in playbook.all("category"):
        families = families_of(list(category.data.get("channels", [])))
        covered: dict[str, str] = {}
        for script_id in category.data.get("recovery_scripts", []):
            script = playbook.get("recovery", str(script_id))
            if script is None:
                continue
            for family in sorted(families_of(list(script.data.get("channels", [])))):
                covered.setdefault(family, script.id)
        waived: set[str] = set()
        for index, waiver in enumerate(category.data.get("recovery_waivers", [])):
            family = str(waiver["family"])
            waived.add(family)
            if family not in families:
                yield at(
                    category,
                    ("recovery_waivers", index, "family"),
                    f"the category is not handled on any {family} channel, so it needs no {family} "
                    "waiver; remove it",
                )
            elif family in covered:
                yield at(
                    category,
                    ("recovery_waivers", index, "family"),
                    f"the recovery script '{covered[family]}' already covers {family} channels; remove "
                    "the waiver",
                )
        where = ("recovery_scripts",) if "recovery_scripts" in category.data else ("channels",)
        for family in sorted(families - set(covered) - waived):
            yield at(
                category,
                where,
                f"the category is handled on {family} channels but none of its recovery scripts is for "
                f"an {family} channel; add one, or add a recovery_waivers entry for {family} with the reason",
                key=True,
            )
