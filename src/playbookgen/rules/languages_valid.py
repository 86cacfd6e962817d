"""The source language is the playbook's locale, and each other language appears once.

`languages.source` says which language the playbook's files are written in; `locale` says
how its dates, numbers and money are written. They must be the same language, or the site of
the source language would mix two. A translation into the source language itself, or into a
language already listed (`nl-NL` and `nl-BE` share `translations/nl/`), is never built.

**Passes**:

```yaml
locale: en-GB
languages: {source: en-GB, translations: [nl-NL]}
```

**Fails** — the source is not the locale's language, and Dutch is listed twice:

```yaml
locale: en-GB
languages: {source: nl-NL, translations: [en-GB, nl-NL, nl-BE]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "languages-valid"
SEVERITY: Severity = "error"
SUMMARY = "The source language is the playbook's locale, and each other language is listed once."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    doc = playbook.docs.get("playbook.yaml")
    configured = playbook.settings.get("languages")
    if doc is None or not isinstance(configured, dict):
        return
    source = str(configured.get("source", ""))
    locale = playbook.settings.get("locale")
    if isinstance(locale, str) and source and source.split("-")[0] != locale.split("-")[0]:
        yield Finding(
            doc,
            ("languages", "source"),
            f"the source language '{source}' is not the language of locale '{locale}'; the files "
            f"are written in one language — set source to {locale}, or locale to {source}",
        )
    seen = {source.split("-")[0]}
    for index, tag in enumerate(configured.get("translations") or []):
        if not isinstance(tag, str):
            continue
        code = tag.split("-")[0]
        if code in seen:
            yield Finding(
                doc,
                ("languages", "translations", index),
                f"'{tag}' is a language the playbook already has (its translations would live in "
                f"translations/{code}/ too); remove it",
            )
        seen.add(code)
