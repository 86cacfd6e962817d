"""Every translated text belongs to a text of the source file.

A translation entry whose key names no translatable text of its source file is never shown:
the source text was removed or moved (in a list whose entries have no identity, an entry
inserted above it changes the place in its key), or the key is mistyped. A key that names an
entry by its place where the entry has an identity (``steps.3.say.0`` for
``steps.resolve.say.0``) is told the key to use. The warning is at the entry in the translation file.

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
from playbookgen.translations import doc_texts, key_of, languages

ID = "translation-stray"
SEVERITY: Severity = "warning"
SUMMARY = "A translation file has an entry for a text its source file does not have."
READS: dict[str, tuple[str, ...]] = {}
"""Of one language, nothing; a playbook in more than one is loaded whole for the translation
rules, which read every text (see :mod:`playbookgen.projection`)."""


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
            found = list(doc_texts(source, kind))
            keys = [text.key for text in found]
            known = set(keys)
            # Keys that name a list entry by its place where it now has an identity.
            by_place = {key_of(source.data, text.path): text.key for text in found}
            for key in doc.data:
                if key in known:
                    continue
                close = difflib.get_close_matches(key, keys, n=1, cutoff=0.7)
                if by_place.get(key, key) != key:
                    hint = f"list entries are named by their identity now: rename it '{by_place[key]}'"
                else:
                    hint = f"did you mean '{close[0]}'?" if close else "delete the entry"
                yield Finding(
                    doc,
                    (key,),
                    f"{relpath} has no text to translate at '{key}' (removed or moved?); {hint}",
                    key=True,
                )
