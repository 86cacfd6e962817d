"""Calendars are valid: a real IANA time zone, intervals that open before they close, no
overlapping intervals on a day, and real holiday dates.

SLA clocks count in these calendars, so a wrong time zone shifts every deadline, and
overlapping intervals count the same hour twice. Special hours (a date's hours in place of
its weekly ones: a holiday eve, a late-opening sale) are real dates, one entry per date, not
also a holiday, and open before they close. An interval lies inside one day (`close`
may be `24:00`); split a night shift into two intervals. A calendar either is
`always_open` or lists its `hours`, not both. The time zone in `playbook.yaml` is checked
too.

**Passes** — `calendars.yaml`:

```yaml
calendars:
  - id: office
    name: Office hours
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00"}
    holidays:
      - {date: "2026-12-25", name: Christmas Day}
    special_hours:
      - {date: "2026-12-24", name: Christmas Eve, open: "09:00", close: "15:00"}
```

**Fails** — unknown zone, an interval closing before it opens, and 30 February:

```yaml
calendars:
  - id: office
    name: Office hours
    timezone: Europe/Amsterdm
    hours:
      - {days: [mon, tue, wed, thu, fri], open: "17:00", close: "09:00"}
    holidays:
      - {date: "2026-02-30", name: Founders' Day}
    special_hours:
      - {date: "2026-12-24", name: Christmas Eve, open: "15:00", close: "09:00"}
```
"""

from __future__ import annotations

import difflib
import itertools
import zoneinfo
from collections.abc import Iterator
from datetime import date
from functools import cache

from playbookgen.durations import DAY_NAMES, minutes_of
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at, line_of

ID = "calendar-valid"
SEVERITY: Severity = "error"
SUMMARY = "Calendars have a real time zone, intervals that do not overlap, real holidays and special hours."
SCOPE = "file"
"""It reads the single files alone, so its findings are kept while they stay the same."""


def check(playbook: Playbook) -> Iterator[Finding]:
    settings = playbook.docs.get("playbook.yaml")
    if settings is not None and isinstance(playbook.settings.get("timezone"), str):
        problem = _zone_problem(playbook.settings["timezone"])
        if problem:
            yield Finding(settings, ("timezone",), problem)
    for calendar in playbook.all("calendar"):
        data = calendar.data
        problem = _zone_problem(str(data["timezone"]))
        if problem:
            yield at(calendar, ("timezone",), problem)
        hours = data.get("hours", [])
        if data.get("always_open") and hours:
            yield at(
                calendar,
                ("hours",),
                "an always-open calendar has no opening hours; remove hours or set always_open: false",
                key=True,
            )
        if not data.get("always_open") and not hours:
            yield at(
                calendar,
                ("id",),
                f"the calendar '{calendar.id}' has no opening hours; add hours, or set always_open: true",
            )
        spans: dict[str, list[tuple[int, int, int]]] = {day: [] for day in DAY_NAMES}
        for index, interval in enumerate(hours):
            start, end = minutes_of(interval["open"]), minutes_of(interval["close"])
            if start is None or end is None:
                continue
            if start >= 24 * 60:
                yield at(calendar, ("hours", index, "open"), "a day cannot open at 24:00; write 00:00")
                continue
            if end <= start:
                yield at(
                    calendar,
                    ("hours", index, "close"),
                    f"closes at {interval['close']}, not after it opens ({interval['open']}); an interval "
                    "lies inside one day — split a night shift into two intervals (… to 24:00, 00:00 to …)",
                )
                continue
            for day in interval["days"]:
                spans[day].append((start, end, index))
        clashes: dict[tuple[int, int], list[str]] = {}
        for day in DAY_NAMES:
            ordered = sorted(spans[day])
            for (_, end_a, index_a), (start_b, _, index_b) in itertools.pairwise(ordered):
                if start_b < end_a:
                    clashes.setdefault((min(index_a, index_b), max(index_a, index_b)), []).append(day)
        for (first, second), days in sorted(clashes.items()):
            a, b = hours[first], hours[second]
            yield at(
                calendar,
                ("hours", second),
                f"{a['open']}–{a['close']} (line {line_of(calendar, 'hours', first)}) and "
                f"{b['open']}–{b['close']} overlap on {', '.join(days)}; give each day one set of "
                "intervals that do not overlap",
            )
        seen: dict[str, int] = {}
        for index, holiday in enumerate(data.get("holidays", [])):
            text = str(holiday["date"])
            try:
                date.fromisoformat(text)
            except ValueError:
                yield at(
                    calendar,
                    ("holidays", index, "date"),
                    f"{text} is not a real date; check the month and day (YYYY-MM-DD)",
                )
                continue
            if text in seen:
                yield at(
                    calendar,
                    ("holidays", index, "date"),
                    f"{text} is already listed on line {line_of(calendar, 'holidays', seen[text])}; "
                    "remove the repeat",
                )
            seen[text] = index
        yield from _special_hours(calendar, set(seen))


def _special_hours(calendar: Item, holidays: set[str]) -> Iterator[Finding]:
    """Special hours: a real date, listed once, not also a holiday, opening before closing."""
    data = calendar.data
    entries = data.get("special_hours", [])
    if entries and data.get("always_open"):
        yield at(
            calendar,
            ("special_hours",),
            "an always-open calendar has no special hours; remove special_hours or set always_open: false",
            key=True,
        )
        return
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        text = str(entry["date"])
        try:
            date.fromisoformat(text)
        except ValueError:
            yield at(
                calendar,
                ("special_hours", index, "date"),
                f"{text} is not a real date; check the month and day (YYYY-MM-DD)",
            )
            continue
        if text in seen:
            yield at(
                calendar,
                ("special_hours", index, "date"),
                f"{text} already has special hours on line {line_of(calendar, 'special_hours', seen[text])}; "
                "give each date one entry",
            )
        elif text in holidays:
            yield at(
                calendar,
                ("special_hours", index, "date"),
                f"{text} is also listed as a holiday (closed all day); remove the holiday, or these "
                "special hours",
            )
        seen[text] = index
        start, end = minutes_of(entry["open"]), minutes_of(entry["close"])
        if start is not None and end is not None and end <= start:
            yield at(
                calendar,
                ("special_hours", index, "close"),
                f"closes at {entry['close']}, not after it opens ({entry['open']}); special hours lie "
                "inside one day",
            )


def _zone_problem(name: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    else:
        return None
    close = difflib.get_close_matches(name, _zones(), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "write it as Area/City, e.g. Europe/Amsterdam"
    return f"'{name}' is not an IANA time zone; {hint}"


@cache
def _zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())
