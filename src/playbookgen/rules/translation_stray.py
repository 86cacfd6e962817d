"""Every translated text belongs to a text of the source file.

A translation entry whose key names no translatable text of its source file is never shown:
the source text was removed or moved (a list entry inserted above it changes the place in its
key), or the key is mistyped. The warning is at the entry in the translation file.

**Passes** — `translations/nl/categories/late-delivery.yaml` has `examples.0` and the
category has at least one example:

```yaml
examples.0:
  text: Mijn pakket had gisteren moeten komen.
  from: 3e4f5a6b
```

**Fails** — `examples.7` in a category with four examples:

```yaml
examples.7:
  text: Waar blijft mijn bestelling?
  from: 7c8d9e0f
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding
from playbookgen.translations import doc_texts, languages

ID = "translation-stray"
SEVERITY: Severity = "warning"
SUMMARY = "A translation file has an entry for a text its source file does not have."


def check(playbook: Playbook) -> Iterator[Finding]:
    for language in languages(playbook.settings)[1]:
        table = playbook.translations.get(language.code)
        if table is None:
            continue
        for relpath, doc in sorted(table.files.items()):
            source = playbook.docs.get(relpath)
            kind = playbook.kinds.get(relpath)
            if source is None or kind is None:
                yield Finding(
                    doc,
                    (),
                    f"translates {relpath}, which the playbook does not have; delete this file or "
                    "rename it after the file it translates",
                )
                continue
            if not isinstance(doc.data, dict):
                continue
            keys = [text.key for text in doc_texts(source, kind)]
            known = set(keys)
            for key in doc.data:
                if key in known:
                    continue
                close = difflib.get_close_matches(key, keys, n=1, cutoff=0.7)
                hint = f"did you mean '{close[0]}'?" if close else "delete the entry"
                yield Finding(
                    doc,
                    (key,),
                    f"{relpath} has no text to translate at '{key}' (removed or moved?); {hint}",
                    key=True,
                )
