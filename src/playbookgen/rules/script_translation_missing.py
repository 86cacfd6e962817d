"""Every phrase staff say to customers has a translation in every language of the playbook.

Recovery-script phrases (`say`) and cheat-sheet phrases are what an agent or a store
associate says to a customer word for word. In a language where they are missing, staff
would have to translate on the spot, so the playbook is not ready for that language: an
error by default (set `script-translation-missing: warning` under `rules:` while a new
language is being added). Other texts are `translation-missing`.

**Passes** — `translations/nl/recovery/late-delivery-chat.yaml`:

```yaml
steps.0.say.0:
  text: Bedankt voor je bericht — ik heb je bestelling nu voor me.
  from: 1d2c3b4a
```

**Fails** — the key of the phrase is missing, so `check` reports
`recovery/late-delivery-chat.yaml:21:9: error script-translation-missing this text has no
Dutch (nl) translation …`:

```yaml
steps.0.guidance:
  text: Begin met de bestelling, niet met excuses.
  from: 5e6f7a8b
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding
from playbookgen.rules.translation_missing import missing

ID = "script-translation-missing"
SEVERITY: Severity = "error"
SUMMARY = "A phrase staff say to customers has no translation in one of the playbook's languages."
READS: dict[str, tuple[str, ...]] = {}
"""Of one language, nothing; a playbook in more than one is loaded whole for the translation
rules, which read every text (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    yield from missing(playbook, "script")
