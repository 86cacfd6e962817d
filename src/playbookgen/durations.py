"""ISO 8601 durations and business-hour arithmetic; how they read is the wording layer's
(:mod:`playbookgen.wording`)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

_DURATION = re.compile(
    r"^P(?=\d|T\d)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Duration:
    """An ISO 8601 duration as written, so years and months stay years and months."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    @property
    def approx(self) -> timedelta:
        """The length for comparisons: a year is 365 days and a month 30."""
        days = self.years * 365 + self.months * 30 + self.weeks * 7 + self.days
        return timedelta(days=days, hours=self.hours, minutes=self.minutes, seconds=self.seconds)


def parse_iso(text: object) -> Duration | None:
    """The :class:`Duration` ``text`` stands for, or None when it is not an ISO 8601 duration."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(text)
    if match is None:
        return None
    return Duration(**{k: int(v) for k, v in match.groupdict().items() if v})


def parse_duration(text: object) -> timedelta | None:
    """The duration ``text`` stands for, or None when it is not an ISO 8601 duration."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(text)
    if match is None:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    # Years and months are read as 365 and 30 days: targets and retention periods, not dates.
    days = parts.pop("years", 0) * 365 + parts.pop("months", 0) * 30 + parts.pop("days", 0)
    return timedelta(days=days, **parts)


def weekly_open_hours(calendar: dict[str, Any]) -> float:
    """Opening hours per week (168 for an always-open calendar)."""
    if calendar.get("always_open"):
        return 168.0
    total = 0.0
    for interval in calendar.get("hours", []):
        start, end = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if start is not None and end is not None and end > start:
            total += (end - start) / 60 * len(interval.get("days", []))
    return total


def minutes_of(text: object) -> int | None:
    """Minutes since midnight of 'HH:MM', or None."""
    if not isinstance(text, str) or not re.match(r"^\d{2}:\d{2}$", text):
        return None
    hours, minutes = int(text[:2]), int(text[3:])
    return hours * 60 + minutes


def elapsed_hours(duration: timedelta, clock: str, calendar: dict[str, Any] | None) -> float:
    """Roughly how many wall-clock hours a target lasts, to compare business and calendar clocks.

    On a business clock a day is a business day (the calendar's average opening hours per
    open day) and an hour is an opening hour; a week of opening hours lasts 168 hours."""
    hours = duration.total_seconds() / 3600
    if clock != "business" or calendar is None:
        return hours
    weekly = weekly_open_hours(calendar)
    if not weekly:
        return hours
    open_days = len({d for interval in calendar.get("hours", []) for d in interval.get("days", [])}) or 7
    business = duration.days * weekly / open_days + duration.seconds / 3600
    return business * 168 / weekly


# --- opening hours on a given day, and business-time arithmetic --------------------------------
#
# A calendar's hours on a date: none on a holiday; the ``special_hours`` entry for that date
# when there is one (reduced hours on a holiday eve, extended hours during a sale), which
# replaces the weekly hours of that day; otherwise the weekly hours of its weekday. Always-open
# calendars are open the whole day. Times are the calendar's local wall-clock times.

DAY_MINUTES = 24 * 60


def open_spans(calendar: Mapping[str, Any], day: date) -> list[tuple[int, int]]:
    """The calendar's opening spans on ``day`` as (open, close) minutes since local midnight,
    in order (empty when it is closed that day)."""
    if calendar.get("always_open"):
        return [(0, DAY_MINUTES)]
    text = day.isoformat()
    if any(str(h.get("date")) == text for h in calendar.get("holidays") or []):
        return []
    special = [s for s in calendar.get("special_hours") or [] if str(s.get("date")) == text]
    intervals = (
        special
        if special
        else [i for i in calendar.get("hours") or [] if DAY_NAMES[day.weekday()] in (i.get("days") or [])]
    )
    spans = []
    for interval in intervals:
        start, end = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if start is not None and end is not None and end > start:
            spans.append((start, end))
    return sorted(spans)


def is_open_at(calendar: Mapping[str, Any], moment: datetime, minutes: int = 0) -> bool:
    """True when the calendar is open from ``moment`` (a time in any zone, or naive local time)
    for ``minutes`` more, without closing in between."""
    local = _local(calendar, moment)
    begin = local.hour * 60 + local.minute
    return any(start <= begin and begin + minutes <= end for start, end in open_spans(calendar, local.date()))


def business_deadline(calendar: Mapping[str, Any], start: datetime, duration: timedelta) -> datetime:
    """When a business-clock target of ``duration`` that starts at ``start`` runs out: only the
    calendar's opening hours count (holidays and special hours honoured). The answer is in the
    calendar's time zone. Raises ValueError when the calendar is not open in the next 3 years."""
    local = _local(calendar, start)
    zone = _zone(calendar)
    remaining = duration.total_seconds() / 60
    day = local.date()
    minute = local.hour * 60 + local.minute + local.second / 60
    for _ in range(3 * 366):
        for span_start, span_end in open_spans(calendar, day):
            begin = max(span_start, minute)
            if begin >= span_end:
                continue
            available = span_end - begin
            if remaining <= available:
                naive = datetime.combine(day, datetime.min.time()) + timedelta(minutes=begin + remaining)
                return naive.replace(tzinfo=zone)
            remaining -= available
        day += timedelta(days=1)
        minute = 0
    raise ValueError("the calendar has no opening hours in the next three years")


def business_time_between(calendar: Mapping[str, Any], start: datetime, end: datetime) -> timedelta:
    """The opening time of the calendar between ``start`` and ``end`` (holidays and special
    hours honoured); zero when ``end`` is not after ``start``."""
    first, last = _local(calendar, start), _local(calendar, end)
    if last <= first:
        return timedelta(0)
    total = 0.0
    day = first.date()
    while day <= last.date():
        low = first.hour * 60 + first.minute + first.second / 60 if day == first.date() else 0
        high = last.hour * 60 + last.minute + last.second / 60 if day == last.date() else DAY_MINUTES
        for span_start, span_end in open_spans(calendar, day):
            total += max(0.0, min(span_end, high) - max(span_start, low))
        day += timedelta(days=1)
    return timedelta(minutes=total)


def working_days(calendar: Mapping[str, Any], start: date, count: int) -> date:
    """The date ``count`` working days (days the calendar opens) after ``start``."""
    day, left = start, count
    for _ in range(3 * 366 + count):
        if left <= 0:
            return day
        day += timedelta(days=1)
        if open_spans(calendar, day):
            left -= 1
    raise ValueError("the calendar has no opening days in the next three years")


def _zone(calendar: Mapping[str, Any]) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(str(calendar.get("timezone") or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _local(calendar: Mapping[str, Any], moment: datetime) -> datetime:
    """``moment`` as naive wall-clock time in the calendar's zone (naive input is taken as local)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(_zone(calendar)).replace(tzinfo=None)


# --- the clock of one SLA metric ------------------------------------------------------------------

METRICS = ("first_response", "update", "resolution")


def metric_clock(target: Mapping[str, Any], metric: str) -> tuple[str, str]:
    """(clock, calendar id) one metric of an SLA target runs on: the metric's entry under
    ``clocks`` when it has one (first response around the clock, resolution in office hours),
    else the target's own clock and calendar."""
    own = (target.get("clocks") or {}).get(metric)
    if isinstance(own, Mapping):
        return str(own.get("clock", "calendar")), str(own.get("calendar"))
    return str(target.get("clock", "calendar")), str(target.get("calendar"))


WINTER_WEEK = date(2026, 1, 12)
SUMMER_WEEK = date(2026, 7, 13)
"""Mondays of a week in (northern) winter and summer time, to show hours in another zone."""
NORMAL_WEEK = date(2026, 6, 1)
"""A Monday; 'a normal week' is the seven days from it, read without holidays or special hours."""


def longest_wall_time(clock: str, calendar: Mapping[str, Any] | None, duration: timedelta) -> timedelta:
    """The longest a target can take on the wall clock in a normal week: a business-clock
    target started just before closing on the last open day of the week runs over the night
    and the days the calendar is closed. A calendar-clock target takes its own length."""
    if clock != "business" or calendar is None or calendar.get("always_open"):
        return duration
    weekly = {k: v for k, v in calendar.items() if k not in ("holidays", "special_hours")}
    open_days = [d for d in range(7) if open_spans(weekly, NORMAL_WEEK + timedelta(days=d))]
    if not open_days:
        return duration
    # On a business clock a day is a business day: the calendar's average open day.
    day = timedelta(hours=weekly_open_hours(dict(weekly)) / len(open_days))
    duration = day * duration.days + timedelta(seconds=duration.seconds)
    longest = duration
    start = datetime.combine(NORMAL_WEEK, datetime.min.time())
    for quarter in range(7 * 24 * 4):
        moment = start + timedelta(minutes=15 * quarter)
        if not is_open_at(weekly, moment):
            continue
        ends = business_deadline(weekly, moment, duration).replace(tzinfo=None)
        longest = max(longest, ends - moment)
    return longest


def weekly_hours_in(
    calendar: Mapping[str, Any], zone: str, week: date
) -> list[tuple[tuple[str, ...], int, int]]:
    """The calendar's weekly hours as seen in another time zone during the week starting on
    the Monday ``week``: (days, open, close) with minutes since that zone's midnight of the
    opening day; ``close`` may pass 1440 when the interval runs past midnight there."""
    source = _zone(calendar)
    target = zoneinfo.ZoneInfo(zone)
    shifted: dict[tuple[int, int], list[str]] = {}
    for interval in calendar.get("hours") or []:
        start, end = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if start is None or end is None or end <= start:
            continue
        for day in interval.get("days") or []:
            when = week + timedelta(days=DAY_NAMES.index(day))
            base = datetime.combine(when, datetime.min.time()).replace(tzinfo=source)
            opens = (base + timedelta(minutes=start)).astimezone(target)
            closes = (base + timedelta(minutes=end)).astimezone(target)
            midnight = datetime.combine(opens.date(), datetime.min.time()).replace(tzinfo=target)
            first = int((opens - midnight).total_seconds() // 60)
            last = int((closes - midnight).total_seconds() // 60)
            shifted.setdefault((first, last), []).append(DAY_NAMES[opens.weekday()])
    return [
        (tuple(d for d in DAY_NAMES if d in days), first, last)
        for (first, last), days in sorted(shifted.items(), key=lambda kv: (DAY_NAMES.index(kv[1][0]), kv[0]))
    ]


def open_utc(calendar: Mapping[str, Any], first: date, last: date) -> list[tuple[datetime, datetime]]:
    """The calendar's opening spans from ``first`` to ``last`` (local dates), as UTC
    datetimes, merged where they touch."""
    zone = _zone(calendar)
    spans: list[tuple[datetime, datetime]] = []
    dated = {str(h.get("date")) for h in calendar.get("holidays") or []} | {
        str(h.get("date")) for h in calendar.get("special_hours") or []
    }
    plain = {k: v for k, v in calendar.items() if k not in ("holidays", "special_hours")}
    weekly = [open_spans(plain, first + timedelta(days=d)) for d in range(7)]
    day = first
    while day <= last:
        midnight = datetime.combine(day, datetime.min.time())
        text = day.isoformat()
        today = open_spans(calendar, day) if text in dated else weekly[(day - first).days % 7]
        for start, end in today:
            a = (midnight + timedelta(minutes=start)).replace(tzinfo=zone).astimezone(UTC)
            b = (midnight + timedelta(minutes=end)).replace(tzinfo=zone).astimezone(UTC)
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], b))
            else:
                spans.append((a, b))
        day += timedelta(days=1)
    return spans


def uncovered(
    needed: list[tuple[datetime, datetime]], covers: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """The parts of ``needed`` no span in ``covers`` covers (both sorted lists of spans)."""
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(covers):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    gaps: list[tuple[datetime, datetime]] = []
    index = 0
    for start, end in needed:
        cursor = start
        while index < len(merged) and merged[index][1] <= cursor:
            index += 1
        probe = index
        while cursor < end:
            if probe >= len(merged) or merged[probe][0] >= end:
                gaps.append((cursor, end))
                break
            a, b = merged[probe]
            if a > cursor:
                gaps.append((cursor, a))
            cursor = max(cursor, b)
            probe += 1
    return gaps
