"""Links in text go only to web pages, mail or phone addresses, or pages of the playbook.

Text fields are Markdown and may contain links. A `javascript:` or `data:` link (or any
other scheme) could run code in the browser of every store associate who opens the page,
so the site reduces such links to their label — and this rule makes sure nobody relies
on them. Allowed: `http://`, `https://`, `mailto:`, `tel:` and relative links.

**Passes**:

```yaml
description: See the [returns portal](https://returns.kestrel-outdoor.example).
```

**Fails**:

```yaml
description: Click [here](javascript:alert(1)) to open the returns portal.
```

A reference-style link is checked at its definition, the `[label]: address` line:

```yaml
description: |
  Click [here][portal] to open the returns portal.

  [portal]: javascript:alert(1)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, texts
from playbookgen.text import is_safe_url, links, reference_links

ID = "unsafe-link"
SEVERITY: Severity = "error"
SUMMARY = "Links in text use only http(s), mailto:, tel: or relative addresses."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for doc, path, text in texts(playbook):
        if "](" in text:
            for label, target in links(text):
                if not is_safe_url(target):
                    yield Finding(doc, path, f"the link '{label}' goes to {_refused(target)}")
        if "]:" in text:
            for label, target in reference_links(text):
                if not is_safe_url(target):
                    yield Finding(doc, path, f"the link reference '[{label}]' goes to {_refused(target)}")


def _refused(target: str) -> str:
    shown = target if len(target) <= 40 else target[:37] + "..."
    return (
        f"'{shown}', which is not allowed; link only to http(s), mailto: or tel: addresses "
        "or to pages of the playbook"
    )
