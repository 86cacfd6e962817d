"""While a channel is open, its staff have a support contact that is staffed too.

A store associate with a customer at the till, or an agent on a call, needs someone to call
while the channel is open. A staff contact lists the channels it helps under `supports` and
says when it is staffed with a `calendar`. The check runs for every in-store (offline)
channel and for every channel some contact supports: the channel's opening hours must lie
within the hours of its support contacts taken together, week by week and on every date a
calendar involved lists: a holiday of the support line while the stores open, or a late
opening of the stores (special hours) the support line does not match, is warned about at
that date's entry. Dates are compared in each calendar's own time zone.

**Passes** — `playbook.yaml`, with stores open Mon–Sat 09:00–18:00:

```yaml
contacts:
  - {id: store-support, name: Store support line, phone: "+31 20 555 0199",
     audience: staff, calendar: store-hours, supports: [retail-store]}
```

**Fails** — the support line keeps office hours, so on Saturdays the stores are alone:

```yaml
contacts:
  - {id: store-support, name: Store support line, phone: "+31 20 555 0199",
     audience: staff, calendar: office, supports: [retail-store]}
```

**Fails** — `calendars.yaml`: the stores open late on Black Friday, the support line closes
at 18:00 as on any Friday:

```yaml
  - id: store-hours
    special_hours:
      - {date: "2026-11-27", name: Black Friday late opening, open: "09:00", close: "22:00"}
```
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from playbookgen.durations import DAY_NAMES, minutes_of, open_utc
from playbookgen.durations import uncovered as uncovered_utc
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, is_always_open
from playbookgen.wording import ENGLISH

ID = "support-hours"
SEVERITY: Severity = "warning"
SUMMARY = "While a channel is open, a support contact for its staff is staffed too."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""

DAY = 24 * 60
WEEK = 7 * DAY

Span = tuple[int, int]


def open_spans(calendar: dict[str, Any]) -> list[Span]:
    """The calendar's weekly opening hours as merged minute spans from Monday 00:00."""
    if is_always_open(calendar):
        return [(0, WEEK)]
    spans: list[Span] = []
    for interval in calendar.get("hours", []):
        start, end = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if start is None or end is None or end <= start:
            continue
        for day in interval.get("days", []):
            if day in DAY_NAMES:
                base = DAY_NAMES.index(day) * 24 * 60
                spans.append((base + start, base + end))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def uncovered(need: list[Span], have: list[Span]) -> list[Span]:
    """The parts of ``need`` outside ``have`` (both merged)."""
    gaps: list[Span] = []
    for start, end in need:
        cursor = start
        for h_start, h_end in have:
            if h_end <= cursor or h_start >= end:
                continue
            if h_start > cursor:
                gaps.append((cursor, h_start))
            cursor = max(cursor, h_end)
        if cursor < end:
            gaps.append((cursor, end))
    return gaps


def describe(gaps: list[Span]) -> str:
    """'Mon–Fri 17:30–21:00, Sat 09:00–21:00' for the gaps, day by day."""
    windows: dict[tuple[str, str], list[str]] = {}
    for start, end in gaps:
        while start < end:
            day = start // DAY
            stop = min(end, (day + 1) * DAY)
            window = (_clock(start - day * DAY), _clock(stop - day * DAY))
            windows.setdefault(window, []).append(DAY_NAMES[day])
            start = stop
    hours = [{"days": days, "open": o, "close": c} for (o, c), days in windows.items()]
    return ENGLISH.calendar_hours({"hours": hours})


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check(playbook: Playbook) -> Iterator[Finding]:
    supporters: dict[str, list[Item]] = {}
    for contact in playbook.all("contact"):
        for channel_id in contact.data.get("supports", []):
            supporters.setdefault(str(channel_id), []).append(contact)
        if contact.data.get("supports") and not contact.data.get("calendar"):
            yield at(
                contact,
                ("supports",),
                f"the contact '{contact.id}' supports channels but has no calendar, so nobody can see "
                "when it is staffed; add calendar: with the id of a calendar in calendars.yaml",
                key=True,
            )
    for channel in playbook.all("channel"):
        helpers = supporters.get(channel.id, [])
        if channel.data.get("family") != "offline" and not helpers:
            continue
        calendar = playbook.get("calendar", str(channel.data.get("calendar")))
        if calendar is None:
            continue
        have: list[Span] = []
        for contact in helpers:
            staffed = playbook.get("calendar", str(contact.data.get("calendar")))
            if staffed is not None:
                have.extend(open_spans(staffed.data))
        gaps = uncovered(open_spans(calendar.data), _merge(have))
        if helpers:
            yield from _dated(channel, calendar, helpers, playbook)
        if not gaps:
            continue
        if not helpers:
            yield at(
                channel,
                ("id",),
                f"no staff contact supports the channel '{channel.id}', so its staff have nobody to "
                "call while it is open; add the channel to the supports: list of a staff contact in "
                "playbook.yaml",
            )
            continue
        names = ", ".join(f"'{c.id}'" for c in helpers)
        yield at(
            channel,
            ("calendar",),
            f"the channel '{channel.id}' is open {describe(gaps)} while none of its support contacts "
            f"({names}) is staffed; add a contact with supports: [{channel.id}] and a calendar that "
            "covers these hours, or extend the hours of the existing one",
        )


def _dated(channel: Item, calendar: Item, helpers: list[Item], playbook: Playbook) -> Iterator[Finding]:
    """Dates a calendar lists (holidays, special hours) on which the channel is open while
    its support is not, beyond what an ordinary week of the same weekday already shows."""
    staffed = [c for h in helpers if (c := playbook.get("calendar", str(h.data.get("calendar")))) is not None]
    if not staffed:
        return
    entries: dict[str, tuple[Item, str, int]] = {}
    for owner in (calendar, *staffed):
        for key in ("special_hours", "holidays"):
            for index, entry in enumerate(owner.data.get(key) or []):
                entries.setdefault(str(entry.get("date")), (owner, key, index))
    plain_own = _weekly(calendar.data)
    plain_staffed = [_weekly(c.data) for c in staffed]
    names = ", ".join(f"'{h.id}'" for h in helpers)
    for text in sorted(entries):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            continue
        around = (day - timedelta(days=1), day + timedelta(days=1))
        gaps = uncovered_utc(
            open_utc(calendar.data, day, day), [s for c in staffed for s in open_utc(c.data, *around)]
        )
        usual_cover = [s for c in plain_staffed for s in open_utc(c, *around)]
        usual = uncovered_utc(open_utc(plain_own, day, day), usual_cover)
        extra = uncovered_utc(gaps, usual)
        if not extra:
            continue
        owner, key, index = entries[text]
        entry = owner.data[key][index]
        zone = _zone(calendar.data)
        spans = ", ".join(_span(a, b, zone) for a, b in extra)
        why = f" ({entry.get('name')})" if entry.get("name") else ""
        closed = "closed for the holiday" if key == "holidays" and owner is not calendar else "not staffed"
        yield at(
            owner,
            (key, index, "date"),
            f"on {ENGLISH.date(day)}{why} the channel '{channel.id}' is open {spans} while its support "
            f"contacts ({names}) are {closed}; give a support contact's calendar special_hours for "
            f"{text} that cover these hours, or add a contact staffed that day",
        )


def _weekly(calendar: dict[str, Any]) -> dict[str, Any]:
    """The calendar without its dated exceptions: an ordinary week."""
    return {k: v for k, v in calendar.items() if k not in ("holidays", "special_hours")}


def _zone(calendar: dict[str, Any]) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(str(calendar.get("timezone") or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _span(start: datetime, end: datetime, zone: tzinfo) -> str:
    """'21:00–23:00' in the channel's local time; midnight at the end is 24:00."""
    a, b = start.astimezone(zone), end.astimezone(zone)
    until = "24:00" if (b.hour, b.minute) == (0, 0) and b.date() > a.date() else f"{b:%H:%M}"
    return f"{a:%H:%M}–{until}"
