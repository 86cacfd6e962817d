"""Business-time arithmetic on a playbook calendar, exact to the second.

A calendar becomes a sorted list of the instants (UTC seconds) at which it opens and closes
over the days a ticket export spans — weekly hours in the calendar's time zone, holidays
closed, special hours (``special_hours: [{date, open, close}]``) replacing a date's weekly
hours. With the open seconds summed up to each opening, the open time before any instant is
one binary search: ``open_before(t) = cum[i] + min(t − start[i], length[i])``. Business time
between two instants is the difference of the two, so a time zone change of the clocks (a DST
night), a holiday or a short day costs nothing extra, and a million tickets are a few
vectorised searches (numpy).

A date that is both a holiday and has special hours opens for the special hours (the more
particular entry wins). An ``always_open`` calendar counts every second.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from playbookgen.durations import DAY_NAMES, minutes_of

Seconds = npt.NDArray[np.float64]


def _day_minutes(calendar: dict[str, Any]) -> dict[int, list[tuple[int, int]]]:
    """Weekly hours: weekday (0 = Monday) → [(open, close) minutes since midnight]."""
    week: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for interval in calendar.get("hours") or []:
        opens, closes = minutes_of(interval.get("open")), minutes_of(interval.get("close"))
        if opens is None or closes is None or closes <= opens:
            continue
        for name in interval.get("days") or []:
            if name in DAY_NAMES:
                week[DAY_NAMES.index(name)].append((opens, closes))
    return {d: _merged(spans) for d, spans in week.items()}


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


class BusinessClock:
    """Open seconds of one calendar between instants given as UTC epoch seconds."""

    def __init__(self, calendar: dict[str, Any]) -> None:
        self.always_open = bool(calendar.get("always_open"))
        self.zone = zoneinfo.ZoneInfo(str(calendar.get("timezone") or "UTC"))
        self.week = _day_minutes(calendar)
        self.holidays = {d for h in calendar.get("holidays") or [] if (d := _date(h.get("date")))}
        self.special: dict[date, list[tuple[int, int]]] = {}
        for entry in calendar.get("special_hours") or []:
            day = _date(entry.get("date"))
            opens, closes = minutes_of(entry.get("open")), minutes_of(entry.get("close"))
            if day is None:
                continue
            spans = self.special.setdefault(day, [])
            if opens is not None and closes is not None and closes > opens:
                spans.append((opens, closes))
        self.first: date | None = None
        self.last: date | None = None
        self.starts: Seconds = np.zeros(0)
        self.lengths: Seconds = np.zeros(0)
        self.cum: Seconds = np.zeros(0)

    def spans_of(self, day: date) -> list[tuple[int, int]]:
        """The day's open spans in local minutes since midnight."""
        if day in self.special:
            return _merged(self.special[day])
        if day in self.holidays:
            return []
        return self.week[day.weekday()]

    def is_open(self, moment: datetime) -> bool:
        """Whether the calendar is open at an aware instant (the slow, obvious way)."""
        if self.always_open:
            return True
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute + local.second / 60
        return any(o <= minute < c for o, c in self.spans_of(local.date()))

    def _instant(self, day: date, minute: int) -> float:
        """UTC seconds of a wall-clock minute of a local day (a DST day keeps 09:00 at 09:00)."""
        if minute >= 24 * 60:
            wall = datetime.combine(day + timedelta(days=1), time(0), self.zone)
        else:
            wall = datetime.combine(day, time(minute // 60, minute % 60), self.zone)
        return wall.timestamp()

    def cover(self, earliest: float, latest: float) -> None:
        """Make sure the open spans of every local day from ``earliest`` to ``latest`` (UTC
        seconds) are known."""
        if self.always_open:
            return
        first = datetime.fromtimestamp(earliest, UTC).astimezone(self.zone).date() - timedelta(days=1)
        last = datetime.fromtimestamp(latest, UTC).astimezone(self.zone).date() + timedelta(days=1)
        if self.first is not None and self.last is not None and self.first <= first and last <= self.last:
            return
        if self.first is not None and self.last is not None:
            first, last = min(first, self.first), max(last, self.last)
        starts: list[float] = []
        ends: list[float] = []
        day = first
        while day <= last:
            for opens, closes in self.spans_of(day):
                starts.append(self._instant(day, opens))
                ends.append(self._instant(day, closes))
            day += timedelta(days=1)
        self.first, self.last = first, last
        self.starts = np.array(starts, dtype=np.float64)
        self.lengths = np.array(ends, dtype=np.float64) - self.starts
        self.cum = np.concatenate(([0.0], np.cumsum(self.lengths)))[:-1] if starts else np.zeros(0)

    def open_before(self, instants: Seconds) -> Seconds:
        """Open seconds from the start of the covered range to each instant (NaN stays NaN)."""
        if self.always_open:
            return instants.astype(np.float64, copy=True)
        if not len(self.starts):
            return np.where(np.isnan(instants), np.nan, 0.0)
        index = np.searchsorted(self.starts, np.nan_to_num(instants, nan=0.0), side="right") - 1
        safe = np.clip(index, 0, None)
        inside = np.clip(instants - self.starts[safe], 0.0, self.lengths[safe])
        result = np.where(index >= 0, self.cum[safe] + inside, 0.0)
        return np.where(np.isnan(instants), np.nan, result)

    def between(self, start: Seconds, end: Seconds) -> Seconds:
        """Open seconds from each ``start`` to its ``end`` (UTC epoch seconds; NaN when either is)."""
        finite = np.concatenate((start[~np.isnan(start)], end[~np.isnan(end)]))
        if len(finite):
            self.cover(float(finite.min()), float(finite.max()))
        return self.open_before(end) - self.open_before(start)

    def seconds(self, start: datetime, end: datetime) -> float:
        """Open seconds between two aware instants."""
        result = self.between(np.array([start.timestamp()]), np.array([end.timestamp()]))
        return float(result[0])
