"""A staffed channel states the target its planning method needs, and agrees with its KPI.

`playbookgen staff` plans calls and chats to a service level (answer `percent` within
`within`) and email or tickets to a response time (`respond_within`). A channel whose
`staffing:` lacks the one its method needs cannot be planned; a service level that differs
from the KPI the channel names (`kpi:`, a KPI in percent) plans more or fewer agents than the
promise readers see in the KPI glossary.

**Passes** — `channels.yaml` (the KPI `service-level` has the target 80):

```yaml
- id: hotline
  name: Hotline
  # family, mode, calendar, handled_by …
  staffing:
    method: erlang-c
    handle_time: PT3M
    service_level: {percent: 80, within: PT20S}
    kpi: service-level
```

**Fails** — a plan to 90% against a KPI of 80%, and a backlog without its response time:

```yaml
- id: hotline
  name: Hotline
  staffing:
    method: erlang-c
    handle_time: PT3M
    service_level: {percent: 90, within: PT20S}
    kpi: service-level
- id: email
  name: Email
  staffing: {method: backlog, handle_time: PT5M}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "staffing-targets"
SEVERITY: Severity = "error"
SUMMARY = "A staffed channel states the target its method needs, and its service level matches its KPI."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    for channel in playbook.all("channel"):
        staffing = channel.data.get("staffing")
        if not isinstance(staffing, dict):
            continue
        method = staffing["method"]
        level = staffing.get("service_level")
        if method in ("erlang-c", "chat") and level is None:
            yield at(
                channel,
                ("staffing", "method"),
                f"a channel staffed by {method} needs a service_level (percent and within, e.g. 80 and "
                "PT20S) to plan agents to",
            )
        if method == "backlog" and "respond_within" not in staffing:
            yield at(
                channel,
                ("staffing", "method"),
                "a channel staffed as a backlog needs respond_within (the first-response target of "
                "its SLA policy, e.g. PT4H) to plan agents to",
            )
        kpi = playbook.get("kpi", str(staffing.get("kpi")))
        if level is None or kpi is None or kpi.data.get("unit") != "percent":
            continue
        if float(level["percent"]) != float(kpi.data["target"]):
            yield at(
                channel,
                ("staffing", "service_level", "percent"),
                f"plans to {level['percent']:g}% but the KPI '{kpi.id}' it names has the target "
                f"{float(kpi.data['target']):g}%; make them agree, or leave out kpi: when the plan "
                "deliberately aims elsewhere",
            )
