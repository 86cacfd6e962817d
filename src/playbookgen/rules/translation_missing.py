"""Every text to be translated has a translation in every language of the playbook.

A playbook published in more than one language (`languages:` in `playbook.yaml`) keeps each
other language's texts in `translations/<language>/`. A text with no translation there is
shown to that language's readers in the source language, marked *not yet translated*. The
warning is at the source text, with the language and the key to add. Phrases staff say to
customers are `script-translation-missing` (an error) instead.

**Passes** — `translations/nl/categories/late-delivery.yaml` has the category's name:

```yaml
name:
  text: Te late levering
  from: 5c1f0a9e
```

**Fails** — the file has other entries but no `name`, so `check` reports
`categories/late-delivery.yaml:3:7: warning translation-missing this text has no Dutch (nl)
translation …`:

```yaml
summary:
  text: De bestelling is niet op de beloofde dag bezorgd.
  from: 9a8b7c6d
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding
from playbookgen.translations import Status, languages, statuses, translation_path

ID = "translation-missing"
SEVERITY: Severity = "warning"
SUMMARY = "A text of a multilingual playbook has no translation in one of its languages."
READS: dict[str, tuple[str, ...]] = {}
"""Of one language, nothing; a playbook in more than one is loaded whole for the translation
rules, which read every text (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    yield from missing(playbook, "text")


def missing(playbook: Playbook, need: str) -> Iterator[Finding]:
    """Findings for the texts of kind ``need`` that a language lacks."""
    for language in languages(playbook.settings)[1]:
        for status in statuses(playbook, language):
            if status.state == "missing" and status.text.need == need:
                yield Finding(status.text.doc, status.text.path, message(status))


def message(status: Status) -> str:
    language, text = status.language, status.text
    where = translation_path(language, text.doc.relpath)
    shown = (
        "staff reading it cannot say it to customers in their language"
        if text.need == "script"
        else "its readers see this text marked 'not yet translated'"
    )
    return (
        f"this text has no {language.english} ({language.code}) translation, so {shown}; add "
        f"'{text.key}' to {where} with from: {text.hash} (playbookgen translations export "
        f"--lang {language.code} lists every text to translate)"
    )
