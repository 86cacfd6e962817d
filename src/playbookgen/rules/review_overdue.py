"""Content is not left unreviewed past the grace period after its review date.

``review-due`` warns from the day a review is due; once the grace period has passed
(``review.grace`` in playbook.yaml, default 30 days), it is this error instead, so CI stops
a release that publishes content nobody has vouched for. Like every rule it can be set to
``warning`` or ``off`` in ``rules:``.

**Passes** — judged on 2026-11-01, `forms/carrier-claim.yaml`:

```yaml
review: {owner: case-owner, last_reviewed: "2026-05-10", interval: P6M}
```

**Fails** (next review 2026-08-10; the grace period ended on 2026-09-09):

```yaml
review: {owner: case-owner, last_reviewed: "2026-02-10", interval: P6M}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen import review
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "review-overdue"
SEVERITY: Severity = "error"
SUMMARY = "Content is reviewed before its grace period after the review date ends."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    today, source = review.as_of(playbook, playbook.today)
    for unit in review.units(playbook, today):
        if unit.status == "overdue":
            yield Finding(unit.doc, unit.where(), review.due_message(playbook, unit, today, source))
