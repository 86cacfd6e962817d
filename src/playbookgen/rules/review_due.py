"""Content past its review date is reviewed: a warning from the review date, until the grace
period ends.

Every category, script, module, form, scorecard and single file can name an owner and a review
interval (``review:`` in the item, or ``review.defaults`` by kind in playbook.yaml) and records
the day it was last reviewed. From the day the next review is due, check warns; after the
grace period (``review.grace``, default 30 days) the ``review-overdue`` error takes over. An
item that a review interval applies to but that has never been reviewed is reported here too.

The day is ``--today`` when given, else ``SOURCE_DATE_EPOCH``, else the version's effective
date, so a version checks the same whenever it runs; a scheduled CI job passes
``--today "$(date -u +%F)"``.

**Passes** — judged on 2026-11-01, `categories/returns.yaml`:

```yaml
review: {owner: cs-policy-lead, last_reviewed: "2026-06-15", interval: P6M}
```

**Fails** (next review 2026-10-20, 12 days ago, within the 30-day grace period):

```yaml
review: {owner: cs-policy-lead, last_reviewed: "2026-04-20", interval: P6M}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen import review
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding

ID = "review-due"
SEVERITY: Severity = "warning"
SUMMARY = "Content past its review date (within the grace period) or never reviewed is reviewed."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    today, source = review.as_of(playbook, playbook.today)
    for unit in review.units(playbook, today):
        if unit.status == "due":
            yield Finding(unit.doc, unit.where(), review.due_message(playbook, unit, today, source))
        elif unit.status == "never":
            yield Finding(unit.doc, unit.where(), review.never_message(playbook, unit))
