"""Every translation was made from the source text as it is now.

Each translated text records the hash of the source text it was made from (`from:`). When
someone edits the source text, the translation may no longer say the same thing: readers of
that language keep seeing the old translation, and this warning says where, at the source
text, until a translator checks it and writes the new hash (`playbookgen translations
export --lang nl` shows the new source text and its hash; `import` writes both back).

**Passes** — `from: 5c1f0a9e` is the hash of the current `name` (*Late delivery*):

```yaml
name:
  text: Te late levering
  from: 5c1f0a9e
```

**Fails** — `name` was changed to *Late or lost delivery* after it was translated, so the
recorded hash is the old text's: `categories/late-delivery.yaml:3:7: warning
translation-outdated the Dutch (nl) translation of this text was made from an earlier
version …`

```yaml
name:
  text: Te late levering
  from: 5c1f0a9e   # the hash of "Late delivery", not of "Late or lost delivery"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding
from playbookgen.translations import languages, statuses, translation_path

ID = "translation-outdated"
SEVERITY: Severity = "warning"
SUMMARY = "A translation was made from an earlier version of its source text."
READS: dict[str, tuple[str, ...]] = {}
"""Of one language, nothing; a playbook in more than one is loaded whole for the translation
rules, which read every text (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for language in languages(playbook.settings)[1]:
        table = playbook.translations.get(language.code)
        for status in statuses(playbook, language):
            if status.state != "outdated" or table is None:
                continue
            text = status.text
            doc = table.files[text.doc.relpath]
            line = doc.key_pos((text.key,))[0]
            yield Finding(
                text.doc,
                text.path,
                f"the {language.english} ({language.code}) translation of this text was made from "
                f"an earlier version of it; check {translation_path(language, text.doc.relpath)} "
                f"line {line} ('{text.key}') says the same, then set from: {text.hash}",
            )
