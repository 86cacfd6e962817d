"""Every hour a channel is open, some team in its coverage answers it.

A channel's `coverage` lists who answers it when: each team with the calendar of its own
working hours, in its own time zone (the in-house team by day, an outsourced contact
centre in Manila overnight). Every minute the channel's calendar is open — its holidays
and special hours included, across summer time changes — must fall inside some team's
opening hours, and each team's roles must be among the channel's `handled_by`. The check
runs over every year the calendars involved list dates for.

**Passes** — `channels.yaml`, a 24-hour chat covered by day and by night:

```yaml
  - id: live-chat
    calendar: chat-hours          # Mon–Sun 00:00–24:00, Europe/Amsterdam
    handled_by: [agent, night-agent]
    coverage:
      - {team: Amsterdam team, calendar: amsterdam-days, roles: [agent]}
      - {team: Manila team, calendar: manila-nights, roles: [night-agent]}
```

**Fails** — the Manila team starts at 05:00 Manila time, which is 23:00 in Amsterdam in
summer: 22:00–23:00 is open and nobody answers.

```yaml
calendars:
  - id: amsterdam-days
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri, sat, sun], open: "08:00", close: "22:00"}
  - id: manila-nights
    timezone: Asia/Manila
    hours:
      - {days: [mon, tue, wed, thu, fri, sat, sun], open: "05:00", close: "15:00"}
```
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, datetime, timedelta, tzinfo

from playbookgen.durations import NORMAL_WEEK, open_utc, uncovered
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.wording import ENGLISH

_DAY = timedelta(days=1)

ID = "channel-coverage"
SEVERITY: Severity = "error"
SUMMARY = "Every hour a channel is open, a team in its coverage answers it."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


_Spans = dict[tuple[str, date, date], list[tuple[datetime, datetime]]]


def check(playbook: Playbook) -> Iterator[Finding]:
    spans: _Spans = {}
    for channel in playbook.all("channel"):
        coverage = channel.data.get("coverage")
        if not coverage:
            continue
        handlers = set(channel.data.get("handled_by", []))
        calendars: list[Item] = []
        for index, entry in enumerate(coverage):
            for role_index, role in enumerate(entry.get("roles", [])):
                if role not in handlers:
                    yield at(
                        channel,
                        ("coverage", index, "roles", role_index),
                        f"'{role}' covers this channel but is not under its handled_by; add it there, "
                        "or remove it from the coverage",
                    )
            calendar = playbook.get("calendar", str(entry.get("calendar")))
            if calendar is not None:
                calendars.append(calendar)
        own = playbook.get("calendar", str(channel.data.get("calendar")))
        if own is None or len(calendars) < len(coverage):
            continue
        first, last = _years(own, calendars)
        needed = _open(spans, own, first, last)
        covers = [span for c in calendars for span in _open(spans, c, first - _DAY, last + _DAY)]
        gaps = uncovered(needed, covers)
        if not gaps:
            continue
        zone = str(own.data.get("timezone"))
        start, end = (g.astimezone(_local(zone)) for g in gaps[0])
        more = f" and {len(gaps) - 1} more gap{'s' if len(gaps) > 2 else ''}" if len(gaps) > 1 else ""
        years = f"in {first.year}" if first.year == last.year else f"between {first.year} and {last.year}"
        yield at(
            channel,
            ("coverage",),
            f"the channel's calendar '{own.id}' is open {ENGLISH.date(start.date())} "
            f"{start:%H:%M}–{_until(start, end)} ({zone}) but no team in its coverage works then"
            f"{more} {years}; extend a team's calendar (special_hours for a single day) or add a team",
            key=True,
        )


def _open(
    cache: dict[tuple[str, date, date], list[tuple[datetime, datetime]]],
    calendar: Item,
    first: date,
    last: date,
) -> list[tuple[datetime, datetime]]:
    """The calendar's opening spans between two dates, worked out once per check."""
    key = (calendar.id, first, last)
    if key not in cache:
        cache[key] = open_utc(calendar.data, first, last)
    return cache[key]


def _years(own: Item, calendars: list[Item]) -> tuple[date, date]:
    """The first and last day of the years the calendars list dates for (a normal year
    when they list none)."""
    years = {
        int(str(entry.get("date"))[:4])
        for calendar in (own, *calendars)
        for key in ("holidays", "special_hours")
        for entry in calendar.data.get(key) or []
        if str(entry.get("date"))[:4].isdigit()
    } or {NORMAL_WEEK.year}
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _local(name: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _until(start: datetime, end: datetime) -> str:
    """'17:00', '24:00' for midnight at the end of the day, or '08:00 on 2 January 2026'."""
    if end.date() == start.date():
        return f"{end:%H:%M}"
    if end.date() == start.date() + _DAY and end.hour == 0 and end.minute == 0:
        return "24:00"
    return f"{end:%H:%M} on {ENGLISH.date(end.date())}"
