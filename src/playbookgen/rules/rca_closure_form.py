"""Categories that require RCA close on a form that records root cause and corrective action.

`rca_required: true` means a case of this category is not closed until its root cause and
the corrective action are written down. The category's `closure_form` must have a field
that `captures: root-cause` and one that `captures: corrective-action`, so the closure
record always holds both.

**Passes** — `categories/missing-item.yaml` with `forms/case-closure.yaml` capturing both:

```yaml
rca_required: true
closure_form: case-closure
```

**Fails** — no closure form:

```yaml
rca_required: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "rca-closure-form"
SEVERITY: Severity = "error"
SUMMARY = "Categories that require RCA close on a form with root-cause and corrective-action fields."
READS = {"category": ("closure_form", "rca_required"), "form": ("sections",)}
"""What the rule reads of the files of folders (see :mod:`playbookgen.projection`)."""

NEEDED = ("root-cause", "corrective-action")


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        if not category.data.get("rca_required"):
            continue
        if "closure_form" not in category.data:
            yield at(
                category,
                ("rca_required",),
                "the category requires RCA but has no closure_form; name a form with fields that "
                "capture root-cause and corrective-action",
            )
            continue
        form = playbook.get("form", str(category.data["closure_form"]))
        if form is None:
            continue
        captured = {
            field.get("captures")
            for section in form.data.get("sections", [])
            for field in section.get("fields", [])
        }
        missing = [need for need in NEEDED if need not in captured]
        if missing:
            yield at(
                category,
                ("closure_form",),
                f"the category requires RCA, but the closure form '{form.id}' has no field that captures "
                f"{' or '.join(missing)}; add a field with captures: {missing[0]} to the form, or use "
                "another closure form",
            )
