"""Ids inside one file are unique: objectives, sections, questions, fields, QA items,
root-cause codes, authority entries.

Items across the playbook have unique ids (`duplicate-id`); this rule does the same for the
parts inside one item, which become anchors on the site, PDF form field names and answer-key
numbers. It covers training objectives, sections and quiz questions; form sections and
fields (unique across the whole form, since each becomes a fillable field); QA sections and
items (unique across the scorecard); a category's root-cause codes; and a role or a
compensation type listed twice in `authority.yaml`.

**Passes** — `forms/case-closure.yaml`:

```yaml
fields:
  - {id: root-cause, label: Root cause, type: text, captures: root-cause}
  - {id: action, label: Corrective action, type: textarea, captures: corrective-action}
```

**Fails**:

```yaml
fields:
  - {id: root-cause, label: Root cause, type: text, captures: root-cause}
  - {id: root-cause, label: Corrective action, type: textarea, captures: corrective-action}
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from playbookgen.loader import Document, JsonPath
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "duplicate-part-id"
SEVERITY: Severity = "error"
SUMMARY = "Ids inside one item (objectives, sections, questions, fields, QA items, codes) are unique."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for module in playbook.all("training"):
        data = module.data
        yield from _unique(module.doc, "objective", _each(module.path, data, ("objectives",), "id"))
        yield from _unique(module.doc, "section", _each(module.path, data, ("sections",), "id"))
        yield from _unique(module.doc, "question", _each(module.path, data, ("quiz", "questions"), "id"))
    for form in playbook.all("form"):
        yield from _unique(form.doc, "section", _each(form.path, form.data, ("sections",), "id"))
        fields = [
            entry
            for s_index, section in enumerate(form.data.get("sections", []))
            for entry in _each((*form.path, "sections", s_index), section, ("fields",), "id")
        ]
        yield from _unique(form.doc, "field", fields)
    for card in playbook.all("qa"):
        yield from _unique(card.doc, "section", _each(card.path, card.data, ("sections",), "id"))
        items = [
            entry
            for s_index, section in enumerate(card.data.get("sections", []))
            for entry in _each((*card.path, "sections", s_index), section, ("items",), "id")
        ]
        yield from _unique(card.doc, "QA item", items)
    for category in playbook.all("category"):
        yield from _unique(
            category.doc, "root-cause code", _each(category.path, category.data, ("root_causes",), "code")
        )
    doc = playbook.file("authority")
    if doc is not None and isinstance(doc.data, dict):
        yield from _unique(doc, "role", _each((), doc.data, ("limits",), "role"), "has limits")
        for index, entry in enumerate(doc.data.get("limits", [])):
            yield from _unique(
                doc, "compensation type", _each(("limits", index), entry, ("caps",), "type"), "has a cap"
            )


def _each(
    base: JsonPath, data: dict[str, Any], where: tuple[str, ...], key: str
) -> list[tuple[JsonPath, str]]:
    node: Any = data
    for part in where:
        node = node.get(part, {}) if isinstance(node, dict) else {}
    if not isinstance(node, list):
        return []
    return [
        ((*base, *where, index, key), str(entry[key])) for index, entry in enumerate(node) if key in entry
    ]


def _unique(
    doc: Document, what: str, entries: Iterable[tuple[JsonPath, str]], verb: str = "is used"
) -> Iterator[Finding]:
    seen: dict[str, JsonPath] = {}
    for path, value in entries:
        if value in seen:
            line = doc.pos(seen[value])[0]
            yield Finding(
                doc,
                path,
                f"the {what} '{value}' already {verb} on line {line}; give each {what} its own "
                f"{'id' if 'code' not in what else 'code'}, or merge the two",
            )
        else:
            seen[value] = path
