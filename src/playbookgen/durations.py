"""ISO 8601 durations and business-hour arithmetic; how they read is the wording layer's
(:mod:`playbookgen.wording`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
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
