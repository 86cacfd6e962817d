"""Every `{{ policy.ID }}` in any text names a policy value defined in `policies.yaml`.

Text anywhere in the playbook may show the current value of a policy — the return window,
the refund processing time — by writing `{{ policy.ID }}`; the site and the PDFs fill in
the value, so a policy change reaches every page at once. A reference to a policy that does
not exist would be printed as-is in front of customers' eyes. Anything else between double
braces is never filled in (text is not a template), so it is reported too.

**Passes** — `policies.yaml` defines `return-window-days`:

```yaml
description: Returns are accepted within {{ policy.return-window-days }} of delivery.
```

**Fails** — there is no policy `return-days`:

```yaml
description: Returns are accepted within {{ policy.return-days }} of delivery.
```
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, texts
from playbookgen.text import POLICY_REF, policy_refs

ID = "policy-reference"
SEVERITY: Severity = "error"
SUMMARY = "Every {{ policy.ID }} in any text names a defined policy value."
SCOPE = "file"  # its findings in a file depend on that file and the single files only

_BRACES = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def check(playbook: Playbook) -> Iterator[Finding]:
    known = sorted(item.id for item in playbook.all("policy"))
    for doc, path, text in texts(playbook):
        if "{{" not in text:
            continue
        for policy in policy_refs(text):
            if policy in known:
                continue
            close = difflib.get_close_matches(policy, known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{{{{ policy.{close[0]} }}}}'?"
                if close
                else "define it in policies.yaml"
                + (f" or use one of: {', '.join(known[:8])}" if known else "")
            )
            yield Finding(doc, path, f"'{{{{ policy.{policy} }}}}' names no policy value; {hint}")
        for match in _BRACES.finditer(text):
            if not POLICY_REF.fullmatch(match.group(0)):
                shown = " ".join(match.group(0).split())
                yield Finding(
                    doc,
                    path,
                    f"'{shown}' is never filled in: only {{{{ policy.ID }}}} is (lowercase id, "
                    "e.g. {{ policy.return-window-days }}); fix it or remove the braces",
                )
