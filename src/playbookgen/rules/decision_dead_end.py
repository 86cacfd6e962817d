"""Every branch of a category's "Can I fix it now?" aid ends in an action with an owner.

Each category page asks the person in front of the customer three questions (see
:mod:`playbookgen.views.decision`): can you fix it on the spot — if not, who takes it;
does the customer need goodwill — above your caps, whom you ask; and, if the SLA target is
missed, which level the case goes to. A branch that names nobody leaves a store associate or
an agent with a customer and no next step. Three branches can end that way:

- **hand-over**: the roles that take the case first cannot pass it on — the category has no
  `escalation_path`, no later step for another role of their team, and its `owner` is one of
  them;
- **goodwill**: the frontline role has goodwill caps, but its limits in `authority.yaml`
  name no `approver` and no role on the case may give more;
- **breach**: the category's SLA policy escalates to a level (`escalations: level:`) that
  no role in `roles.yaml` works on.

**Passes** — `categories/missing-item.yaml`: the agent resolves it, the lead takes what the
agent cannot, and the agent's limits name an approver:

```yaml
owner: lead
steps:
  - {do: Check the packing record., owner: agent, activity: intake, resolve_now: true}
escalation_path:
  - {role: lead, when: The customer disputes the answer.}
```

**Fails** — the agent owns the case, resolves it, and has nobody to hand it to:

```yaml
owner: agent
steps:
  - {do: Check the packing record., owner: agent, activity: intake, resolve_now: true}
```

and in `sla.yaml`, a breach goes to a level nobody is on:

```yaml
escalations:
  - {at_percent: 100, level: l4, notify: [lead]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.views.decision import breaches, skeleton

ID = "decision-dead-end"
SEVERITY: Severity = "error"
SUMMARY = "Every branch of a category's 'Can I fix it now?' aid ends in an action with an owner."


READS = {"category": ("sla_policy",)}
"""What :func:`check_across` reads of the files of a folder (see :mod:`playbookgen.projection`)."""


def check(playbook: Playbook) -> Iterator[Finding]:
    yield from check_file(playbook)
    yield from check_across(playbook)


def check_file(playbook: Playbook) -> Iterator[Finding]:
    """The hand-over and goodwill branches: found in a category from it, roles.yaml and
    authority.yaml alone (see :func:`playbookgen.rules.file_part`)."""
    for category in playbook.all("category"):
        bones = skeleton(playbook, category)
        steps = category.data.get("steps", [])
        for team in bones.teams:
            first = (team.steps or team.own or (0,))[0]
            names = ", ".join(f"'{r}'" for r in team.roles)
            if team.handover is None:
                above = _reports_to(playbook, team.roles[0]) if team.roles else None
                example = above or "a role above them"
                yield at(
                    category,
                    ("steps", first, "owner"),
                    f"when {names} cannot fix this case on the spot, nobody takes it over: there is no "
                    f"escalation_path, no later step for another role of their team, and the owner is "
                    f"{names} too; add an escalation_path step (e.g. - {{role: {example}, when: The "
                    "customer is not satisfied.}) or make another role the owner",
                )
            goodwill = team.goodwill
            if goodwill is not None and goodwill.has_caps and goodwill.role is None:
                where = goodwill.giver_step if goodwill.giver_step < len(steps) else first
                yield at(
                    category,
                    ("steps", where, "owner"),
                    f"goodwill above the caps of '{goodwill.giver}' has nobody to ask: its limits in "
                    "authority.yaml name no approver and no role on this case may give more; add "
                    "approver: to its limits in authority.yaml, or put a role with higher caps on the "
                    "escalation_path",
                )


def check_across(playbook: Playbook) -> Iterator[Finding]:
    """The breach branches, in sla.yaml, once for every escalation of a policy a category uses."""
    reported: set[tuple[str, int]] = set()
    seen: set[str] = set()
    for category in playbook.all("category"):
        policy = str(category.data.get("sla_policy"))
        if policy in seen:
            continue  # the same policy's escalations, already looked at
        seen.add(policy)
        for breach in breaches(playbook, category):
            key = (breach.policy.id, breach.index)
            if breach.roles or key in reported or playbook.get("level", breach.level) is None:
                continue
            reported.add(key)
            yield at(
                breach.policy,
                ("escalations", breach.index, "level"),
                f"a case past {breach.at_percent}% of its target escalates to level '{breach.level}', but "
                "no role in roles.yaml works on that level, so it goes to nobody; give a role "
                f"level: {breach.level}, or escalate to a level that has roles",
            )


def _reports_to(playbook: Playbook, role_id: str) -> str | None:
    role = playbook.get("role", role_id)
    above = role.data.get("reports_to") if role is not None else None
    return str(above) if above else None
