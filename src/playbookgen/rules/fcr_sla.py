"""A category resolved at first contact has an SLA that allows resolving it the same day.

`first_contact_resolution: true` tells frontline to fix the case during the contact. If
the category's SLA policy then gives several days to resolve it at the category's priority
(from its default impact × urgency), the site tells agents two different things. The
resolution target must be at most one day: 24 hours on the calendar clock, or one business
day (the calendar's longest opening day) on a business clock.

**Passes** — `categories/voucher-promo-code.yaml`, where standard gives P2 `PT8H`:

```yaml
sla_policy: standard
first_contact_resolution: true
```

**Fails** — partner-investigation gives P2 `P3D`:

```yaml
sla_policy: partner-investigation
first_contact_resolution: true
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.durations import metric_clock, parse_duration
from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, is_always_open, longest_day_hours
from playbookgen.views import priority_of

ID = "fcr-sla"
SEVERITY: Severity = "error"
SUMMARY = "A category resolved at first contact has an SLA resolution target of at most one day."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for category in playbook.all("category"):
        if not category.data.get("first_contact_resolution"):
            continue
        priority = priority_of(playbook, category)
        policy = playbook.get("sla-policy", str(category.data["sla_policy"]))
        if priority is None or policy is None:
            continue
        target = next((t for t in policy.data.get("targets", []) if t.get("priority") == priority.id), None)
        if target is None:
            continue
        duration = parse_duration(target.get("resolution"))
        clock, calendar_id = metric_clock(target, "resolution")
        calendar = playbook.get("calendar", calendar_id)
        if duration is None:
            continue
        if clock == "business" and calendar is not None and not is_always_open(calendar.data):
            day = longest_day_hours(calendar.data)
            hours = duration.days * day + duration.seconds / 3600
            limit, words = day, "one business day"
        else:
            hours, limit, words = duration.total_seconds() / 3600, 24.0, "24 hours"
        if hours > limit + 1e-9:
            yield at(
                category,
                ("first_contact_resolution",),
                f"the category is resolved at first contact, but its SLA policy '{policy.id}' gives "
                f"{priority.id} {target['resolution']} to resolve, more than {words}; choose an SLA policy "
                "whose resolution target allows the same day, or set first_contact_resolution: false",
            )
