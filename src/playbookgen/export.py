"""``playbookgen export zendesk|freshdesk``: the playbook's SLA policies, business hours,
recovery scripts and categories as JSON request bodies for the helpdesk's REST API.

What the helpdesk cannot hold is reported as an ``export-not-carried`` warning at its place
in the playbook — a fifth priority, a metric the helpdesk lacks, Freshdesk's 15-minute
minimum, two business calendars in one policy, special opening hours, percentage warnings
and escalations — and left out (or rounded, as the warning says); never dropped silently.

Files (each holds a list of the objects the API takes in its request body):

- Zendesk: ``sla_policies.json`` (POST /api/v2/slas/policies, ``{"sla_policy": …}``),
  ``schedules.json`` (POST /api/v2/business_hours/schedules, then PUT …/workweek with the
  ``intervals``), ``holidays.json`` (POST …/schedules/{id}/holidays), ``macros.json`` (POST
  /api/v2/macros), ``ticket_fields.json`` (POST /api/v2/ticket_fields, the category field).
- Freshdesk: ``sla_policies.json`` (POST /api/v2/sla_policies), ``business_hours.json``
  (Freshdesk's API reads business hours but cannot create them: set them up from this file),
  ``canned_responses.json`` (POST /api/v2/canned_responses, into the folder named there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbookgen.durations import DAY_NAMES, METRICS, metric_clock, minutes_of, parse_duration
from playbookgen.helpdesk import FRESHDESK_PRIORITY, LEVELS, HelpdeskConfig, config
from playbookgen.model import Item, Playbook
from playbookgen.problems import Problem
from playbookgen.text import plain
from playbookgen.views.typed import PlaybookView

HELPDESKS = ("zendesk", "freshdesk")
RULE = "export-not-carried"
ZENDESK_METRICS = {
    "first_response": "first_reply_time",
    "update": "periodic_update_time",
    "resolution": "total_resolution_time",
}
FRESHDESK_METRICS = {
    "first_response": "respond_within",
    "update": "next_respond_within",
    "resolution": "resolve_within",
}
FRESHDESK_MINIMUM = 15 * 60
FRESHDESK_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Zendesk and Freshdesk name time zones as Rails does; the IANA zones they stand for.
RAILS_ZONES = {
    "Europe/Amsterdam": "Amsterdam",
    "Europe/Berlin": "Berlin",
    "Europe/Brussels": "Brussels",
    "Europe/Copenhagen": "Copenhagen",
    "Europe/Dublin": "Dublin",
    "Europe/Helsinki": "Helsinki",
    "Europe/Lisbon": "Lisbon",
    "Europe/London": "London",
    "Europe/Madrid": "Madrid",
    "Europe/Oslo": "Oslo",  # not in Rails' list under this name; Zendesk offers it as Oslo
    "Europe/Paris": "Paris",
    "Europe/Prague": "Prague",
    "Europe/Rome": "Rome",
    "Europe/Stockholm": "Stockholm",
    "Europe/Vienna": "Vienna",
    "Europe/Warsaw": "Warsaw",
    "Europe/Zurich": "Zurich",
    "America/New_York": "Eastern Time (US & Canada)",
    "America/Chicago": "Central Time (US & Canada)",
    "America/Denver": "Mountain Time (US & Canada)",
    "America/Los_Angeles": "Pacific Time (US & Canada)",
    "America/Sao_Paulo": "Brasilia",
    "Asia/Kolkata": "Kolkata",
    "Asia/Singapore": "Singapore",
    "Asia/Tokyo": "Tokyo",
    "Australia/Sydney": "Sydney",
    "UTC": "UTC",
    "Etc/UTC": "UTC",
}


@dataclass
class Export:
    """The files of one helpdesk's configuration, and what could not be carried over."""

    helpdesk: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def warn(self, item: Item, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(item.problem(path, RULE, message).with_severity("warning"))

    def write(self, out: Path) -> list[Path]:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, body in sorted(self.files.items()):
            path = out / name
            path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(path)
        return written


def _seconds(value: object) -> int | None:
    duration = parse_duration(value)
    return int(duration.total_seconds()) if duration is not None else None


class _Exporter:
    def __init__(self, playbook: Playbook, helpdesk: str) -> None:
        self.playbook = playbook
        self.config: HelpdeskConfig = config(playbook)
        self.result = Export(helpdesk)
        # Policy values as readers see them ('14 days'), as on the site.
        self.values = PlaybookView(playbook).policy_values

    # --- shared ---------------------------------------------------------------------------

    def levels(self) -> dict[str, str]:
        """Playbook priority → helpdesk level, warning once for every priority left out."""
        for item in self.config.unmapped:
            self.result.warn(
                item,
                ("id",),
                f"priority '{item.id}' has no {self.result.helpdesk} priority (it holds four: "
                f"{', '.join(LEVELS)}); its SLA targets are left out — map it in helpdesk.yaml",
            )
        seen: dict[str, str] = {}
        levels: dict[str, str] = {}
        for priority, level in self.config.levels.items():
            mapped = self.playbook.get("priority", priority)
            if level in seen and mapped is not None:
                self.result.warn(
                    mapped,
                    ("id",),
                    f"priorities '{seen[level]}' and '{priority}' both map to {level}; the helpdesk "
                    f"holds one target per priority, so the targets of '{seen[level]}' are exported",
                )
                continue
            seen[level] = priority
            levels[priority] = level
        return levels

    def categories_of(self, policy: Item) -> list[Item]:
        return [c for c in self.playbook.all("category") if c.data.get("sla_policy") == policy.id]

    def business_calendar(self, policy: Item) -> str | None:
        """The one business calendar of a policy's targets (warning when there are more)."""
        calendars: dict[str, int] = {}
        for index, target in enumerate(policy.data.get("targets") or []):
            if target.get("clock") == "business" and target.get("calendar"):
                calendars.setdefault(str(target["calendar"]), index)
        if len(calendars) > 1:
            names = list(calendars)
            self.result.warn(
                policy,
                ("targets", calendars[names[1]], "calendar"),
                f"SLA policy '{policy.id}' counts business hours in {len(names)} calendars "
                f"({', '.join(names)}); a helpdesk policy has one set of business hours (the "
                f"ticket's), so its business targets are exported on '{names[0]}'s hours",
            )
        return next(iter(calendars), None)

    def schedule_note(self, policy: Item, calendar: str | None) -> None:
        """Business targets count in the hours the helpdesk gives the ticket, not the policy's."""
        if calendar is None:
            return
        index = next(
            i for i, t in enumerate(policy.data.get("targets") or []) if t.get("calendar") == calendar
        )
        item = self.playbook.get("calendar", calendar)
        name = item.name if item is not None else calendar
        how = (
            f"give its tickets the schedule '{name}' with a trigger"
            if self.result.helpdesk == "zendesk"
            else f"give the groups that work its tickets the business hours '{name}'"
        )
        self.result.warn(
            policy,
            ("targets", index, "calendar"),
            f"the {self.result.helpdesk} policy does not say which business hours its targets count in "
            f"(the ticket's do): {how}",
        )

    def zone(self, calendar: Item) -> str:
        zone = str(calendar.data.get("timezone", "UTC"))
        if zone not in RAILS_ZONES:
            self.result.warn(
                calendar,
                ("timezone",),
                f"time zone {zone} has no name in the exporter's table of {self.result.helpdesk} "
                "time zones; it is written as is — pick the zone in the helpdesk when importing",
            )
            return zone
        return RAILS_ZONES[zone]

    def special_hours(self, calendar: Item) -> None:
        for index, entry in enumerate(calendar.data.get("special_hours") or []):
            self.result.warn(
                calendar,
                ("special_hours", index),
                f"special hours on {entry.get('date')} ({entry.get('name')}) cannot be carried over: "
                f"{self.result.helpdesk} business hours know whole-day holidays only; change that "
                "day's hours in the helpdesk by hand",
            )

    def script_text(self, script: Item) -> str:
        lines = []
        for step in script.data.get("steps") or []:
            say = step.get("say") or []
            if say:
                lines.append(plain(str(say[0]), self.values))
        return "\n\n".join(lines)

    def policies_ordered(self) -> list[Item]:
        """SLA policies, the default (catch-all) one last. A policy that only a variant uses
        (a tier's, a marketplace's) is left out: with no category to match it would catch
        every ticket; :meth:`variant_warnings` says so where the variant is written."""
        variant_only = {
            str(v.get("sla_policy"))
            for p in self.playbook.all("sla-policy")
            for v in p.data.get("variants") or []
        } - {str(c.data.get("sla_policy")) for c in self.playbook.all("category")}
        policies = [p for p in self.playbook.all("sla-policy") if p.id not in variant_only]
        default = self.config.default_policy
        return [p for p in policies if p.id != default] + [p for p in policies if p.id == default]

    def variant_warnings(self, policy: Item) -> None:
        """Variants and per-target clocks a helpdesk SLA policy cannot hold."""
        for index, variant in enumerate(policy.data.get("variants") or []):
            who = " and ".join(
                part
                for part in (
                    f"tier '{variant['tier']}'" if variant.get("tier") else "",
                    f"channels {', '.join(map(str, variant.get('channels', [])))}"
                    if variant.get("channels")
                    else "",
                )
                if part
            )
            self.result.warn(
                policy,
                ("variants", index),
                f"the variant for {who} (policy '{variant.get('sla_policy')}') cannot be carried over: "
                f"{self.result.helpdesk} picks one SLA policy per ticket by its conditions; add a policy "
                "with a condition on the customer's tier or the ticket's channel by hand",
            )

    def clocks_warning(self, policy: Item, index: int, target: dict[str, Any]) -> None:
        """A target whose metrics run on different calendars (one schedule per policy)."""
        calendars = {metric_clock(target, m)[1] for m in METRICS if metric_clock(target, m)[0] == "business"}
        if target.get("clocks") and (len(calendars) > 1 or self.result.helpdesk == "freshdesk"):
            self.result.warn(
                policy,
                ("targets", index, "clocks"),
                f"targets on their own clocks cannot be carried over exactly: {self.result.helpdesk} "
                + (
                    "counts one target of a priority in business hours or all of them"
                    if self.result.helpdesk == "freshdesk"
                    else "SLA policies count business hours on one schedule"
                )
                + "; check these targets in the helpdesk by hand",
            )

    def common_warnings(self, policy: Item) -> None:
        for key in ("warnings", "escalations"):
            for index, entry in enumerate(policy.data.get(key) or []):
                if (
                    self.result.helpdesk == "freshdesk"
                    and key == "escalations"
                    and entry.get("at_percent") == 100
                ):
                    continue
                what = "warning" if key == "warnings" else "escalation"
                self.result.warn(
                    policy,
                    (key, index),
                    f"the {what} at {entry.get('at_percent')}% of the target cannot be carried over: "
                    + (
                        "Zendesk SLA policies hold no warnings or escalations; set up an automation "
                        "on the SLA's 'hours until next breach'"
                        if self.result.helpdesk == "zendesk"
                        else "Freshdesk escalates at the breach or a fixed time after it, not at a share "
                        "of the target; add it in Freshdesk by hand"
                    ),
                )

    # --- Zendesk --------------------------------------------------------------------------

    def zendesk(self) -> Export:
        levels = self.levels()
        prefix = self.config.category_prefix
        policies = []
        for position, policy in enumerate(self.policies_ordered(), start=1):
            self.common_warnings(policy)
            self.variant_warnings(policy)
            self.schedule_note(policy, self.business_calendar(policy))
            metrics = []
            for index, target in enumerate(policy.data.get("targets") or []):
                level = levels.get(str(target.get("priority")))
                if level is None:
                    continue
                self.clocks_warning(policy, index, target)
                for key, metric in ZENDESK_METRICS.items():
                    business = metric_clock(target, key)[0] == "business"
                    seconds = _seconds(target.get(key))
                    if seconds is None:
                        continue
                    if seconds % 60:
                        self.result.warn(
                            policy,
                            ("targets", index, key),
                            f"Zendesk targets are whole minutes; {key} rounded up",
                        )
                    metrics.append(
                        {
                            "priority": level,
                            "metric": metric,
                            "target": -(-seconds // 60),
                            "business_hours": business,
                        }
                    )
            tags = " ".join(f"{prefix}{c.id}" for c in self.categories_of(policy))
            conditions = (
                []
                if policy.id == self.config.default_policy or not tags
                else [{"field": "current_tags", "operator": "includes", "value": tags}]
            )
            policies.append(
                {
                    "title": policy.name,
                    "description": plain(str(policy.data.get("description", "")), self.values).strip(),
                    "position": position,
                    "filter": {"all": conditions, "any": []},
                    "policy_metrics": metrics,
                }
            )
        schedules = []
        holidays = []
        for calendar in self.playbook.all("calendar"):
            if calendar.data.get("always_open"):
                continue
            self.special_hours(calendar)
            intervals = []
            for interval in calendar.data.get("hours") or []:
                opens, closes = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
                if opens is None or closes is None:
                    continue
                for day in interval.get("days") or []:
                    # Zendesk counts minutes from Sunday 00:00.
                    base = ((DAY_NAMES.index(day) + 1) % 7) * 1440
                    intervals.append({"start_time": base + opens, "end_time": base + closes})
            intervals.sort(key=lambda i: i["start_time"])
            schedules.append(
                {
                    "name": calendar.name,
                    "time_zone": self.zone(calendar),
                    "intervals": intervals,
                }
            )
            for holiday in calendar.data.get("holidays") or []:
                day = str(holiday.get("date"))
                holidays.append(
                    {
                        "schedule": calendar.name,
                        "holiday": {"name": holiday.get("name"), "start_date": day, "end_date": day},
                    }
                )
        macros = [
            {
                "title": f"Recovery::{script.name}",
                "description": plain(str(script.data.get("scenario", "")), self.values).strip(),
                "active": True,
                "actions": [
                    {"field": "comment_mode_is_public", "value": "true"},
                    {"field": "comment_value", "value": self.script_text(script)},
                ],
            }
            for script in self.playbook.all("recovery")
        ]
        field_options = [
            {
                "name": f"{c.data.get('area', '')}::{c.name}" if c.data.get("area") else c.name,
                "value": f"{prefix}{c.id}",
            }
            for c in self.playbook.all("category")
        ]
        self.result.files = {
            "sla_policies.json": {"sla_policies": policies},
            "schedules.json": {"schedules": schedules},
            "holidays.json": {"holidays": holidays},
            "macros.json": {"macros": macros},
            "ticket_fields.json": {
                "ticket_fields": [
                    {
                        "type": "tagger",
                        "title": "Category",
                        "description": "Case category of the customer service playbook",
                        "active": True,
                        "required": False,
                        "custom_field_options": field_options,
                    }
                ]
            },
        }
        return self.result

    # --- Freshdesk ------------------------------------------------------------------------

    def freshdesk(self) -> Export:
        levels = self.levels()
        policies = []
        for position, policy in enumerate(self.policies_ordered(), start=1):
            self.common_warnings(policy)
            self.variant_warnings(policy)
            self.schedule_note(policy, self.business_calendar(policy))
            targets: dict[str, dict[str, Any]] = {}
            for index, target in enumerate(policy.data.get("targets") or []):
                level = levels.get(str(target.get("priority")))
                if level is None:
                    continue
                self.clocks_warning(policy, index, target)
                entry: dict[str, Any] = {}
                for key, name in FRESHDESK_METRICS.items():
                    seconds = _seconds(target.get(key))
                    if seconds is None:
                        continue
                    if seconds < FRESHDESK_MINIMUM:
                        self.result.warn(
                            policy,
                            ("targets", index, key),
                            f"{key} of {target.get(key)} is below Freshdesk's 15-minute minimum; "
                            "exported as 15 minutes",
                        )
                        seconds = FRESHDESK_MINIMUM
                    entry[name] = seconds
                entry["business_hours"] = target.get("clock") == "business"
                entry["escalation_enabled"] = bool(policy.data.get("escalations"))
                targets[f"priority_{FRESHDESK_PRIORITY[level]}"] = entry
            types = [c.name for c in self.categories_of(policy)]
            body: dict[str, Any] = {
                "name": policy.name,
                "description": plain(str(policy.data.get("description", "")), self.values).strip(),
                "position": position,
                "active": True,
                # The default policy updates Freshdesk's own default one (PUT), which applies to all.
                "is_default": policy.id == self.config.default_policy,
                "applicable_to": {"ticket_types": types}
                if types and policy.id != self.config.default_policy
                else {},
                "sla_target": dict(sorted(targets.items())),
            }
            escalations = [e for e in policy.data.get("escalations") or [] if e.get("at_percent") == 100]
            if escalations:
                body["escalation"] = {
                    "response": {"escalation_time": 0, "agent_ids": [-1]},
                    "resolution": {"level_1": {"escalation_time": 0, "agent_ids": [-1]}},
                }
                self.result.warn(
                    policy,
                    ("escalations", 0, "notify"),
                    "Freshdesk escalates to agents, not roles: the escalation at the breach goes to the "
                    "ticket's assigned agent (-1); add the agents of "
                    + ", ".join(str(r) for r in escalations[0].get("notify") or [])
                    + " in Freshdesk",
                )
            policies.append(body)
        hours = []
        for calendar in self.playbook.all("calendar"):
            if calendar.data.get("always_open"):
                continue
            self.special_hours(calendar)
            days: dict[str, dict[str, str]] = {}
            for index, interval in enumerate(calendar.data.get("hours") or []):
                for day in interval.get("days") or []:
                    name = FRESHDESK_DAYS[DAY_NAMES.index(day)]
                    if name in days:
                        self.result.warn(
                            calendar,
                            ("hours", index),
                            "Freshdesk business hours hold one interval per day; "
                            f"the second on {name} is left out",
                        )
                        continue
                    days[name] = {
                        "start_time": _ampm(interval.get("open")),
                        "end_time": _ampm(interval.get("close")),
                    }
            hours.append(
                {
                    "name": calendar.name,
                    "description": f"From the playbook calendar '{calendar.id}'",
                    "time_zone": self.zone(calendar),
                    "business_hours": {d: days[d] for d in FRESHDESK_DAYS if d in days},
                    "holidays": [
                        {"name": h.get("name"), "date": str(h.get("date"))}
                        for h in calendar.data.get("holidays") or []
                    ],
                }
            )
        canned = [
            {
                "title": script.name,
                "content_html": "".join(
                    f"<p>{_escape(p)}</p>" for p in self.script_text(script).split("\n\n")
                ),
                "visibility": 0,
            }
            for script in self.playbook.all("recovery")
        ]
        self.result.files = {
            "sla_policies.json": {"sla_policies": policies},
            "business_hours.json": {"business_hours": hours},
            "canned_responses.json": {
                "canned_response_folders": [{"name": "Playbook recovery scripts", "canned_responses": canned}]
            },
        }
        return self.result


def _ampm(text: object) -> str:
    minutes = minutes_of(text) or 0
    if minutes >= 24 * 60:
        return "11:59 pm"
    hour, minute = divmod(minutes, 60)
    return f"{(hour % 12) or 12}:{minute:02d} {'am' if hour < 12 else 'pm'}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export(playbook: Playbook, helpdesk: str) -> Export:
    """The helpdesk's configuration from a checked playbook, with what could not be carried."""
    exporter = _Exporter(playbook, helpdesk)
    result = exporter.zendesk() if helpdesk == "zendesk" else exporter.freshdesk()
    result.problems = sorted(set(result.problems))
    return result


def plan(previous: Path, current: Export) -> list[str]:
    """What would change against a previously exported folder: entries added, removed or
    changed, by file and name."""
    lines: list[str] = []
    for name, body in sorted(current.files.items()):
        old_path = previous / name
        old = json.loads(old_path.read_text(encoding="utf-8")) if old_path.is_file() else {}
        for key, entries in body.items():
            before = {_label(e): e for e in old.get(key, [])}
            after = {_label(e): e for e in entries}
            lines += [f"+ {name}: {k}" for k in after if k not in before]
            lines += [f"- {name}: {k}" for k in before if k not in after]
            lines += [f"~ {name}: {k}" for k in after if k in before and before[k] != after[k]]
    return lines


def _label(entry: dict[str, Any]) -> str:
    holiday = entry.get("holiday")
    inner: dict[str, Any] = holiday if isinstance(holiday, dict) else entry
    label = str(inner.get("title") or inner.get("name") or "")
    if "holiday" in entry:
        label = f"{entry.get('schedule')}: {label} {inner.get('start_date')}"
    return label
