"""A form's list of case categories names every category: generate it from the categories.

A choice field that lists categories by hand goes stale as soon as a category is added or
renamed: the intake form then lacks categories the site lists, and agents file cases under
'Other'. A choice field whose options name two or more categories is taken for a category
list; it must name all of them, and is best written with `options_from: categories` (the
options written after it, like 'Other', are added at the end). A list of only categories
that come in through the stores (offline channels) must name all of those:
`options_from: offline-categories`.

**Passes** — `forms/complaint-intake.yaml`:

```yaml
- id: category
  label: Category
  type: choice
  options_from: categories
  options: [Other]
```

**Fails** — a hand-written list without the newer categories:

```yaml
- id: category
  label: Category
  type: choice
  options: [Returns, Missing item, Damaged item, Other]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "form-category-options"
SEVERITY: Severity = "warning"
SUMMARY = "A form's list of case categories names every category (use options_from: categories)."
READS = {"category": ("channels",), "form": ("sections",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    names = {c.name.casefold(): c.name for c in playbook.all("category")}
    if len(names) < 2:
        return
    offline_channels = {c.id for c in playbook.all("channel") if c.data.get("family") == "offline"}
    offline = {
        c.name.casefold(): c.name
        for c in playbook.all("category")
        if offline_channels & {str(ch) for ch in c.data.get("channels", [])}
    }
    for form in playbook.all("form"):
        for s, section in enumerate(form.data.get("sections", [])):
            for f, field in enumerate(section.get("fields", [])):
                if field.get("type") not in ("choice", "multi-choice") or field.get("options_from"):
                    continue
                written = {str(option).casefold() for option in field.get("options", [])}
                named = written & names.keys()
                if len(named) < 2:
                    continue
                wanted, source = (
                    (offline, "offline-categories") if named <= offline.keys() else (names, "categories")
                )
                missing = [wanted[key] for key in sorted(wanted) if key not in written]
                if not missing:
                    continue
                shown = ", ".join(f"'{name}'" for name in missing[:5]) + (" …" if len(missing) > 5 else "")
                yield at(
                    form,
                    ("sections", s, "fields", f, "options"),
                    f"the field '{field.get('id')}' lists case categories but not {shown}; write "
                    f"options_from: {source} (and keep only extra options such as 'Other') so the "
                    "list follows the categories",
                )
