"""Business-time arithmetic: holidays close a day, special hours replace a day's weekly hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playbookgen.durations import business_deadline, business_time_between, open_spans, working_days

AMS = ZoneInfo("Europe/Amsterdam")
OFFICE = {
    "timezone": "Europe/Amsterdam",
    "hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:00"}],
    "holidays": [{"date": "2026-12-25", "name": "Christmas Day"}],
    "special_hours": [
        {"date": "2026-12-24", "name": "Christmas Eve", "open": "09:00", "close": "13:00"},
        {"date": "2026-12-19", "name": "Sale Saturday", "open": "10:00", "close": "14:00"},
    ],
}


def test_special_hours_replace_the_weekly_hours_of_their_date() -> None:
    assert open_spans(OFFICE, date(2026, 12, 23)) == [(540, 1020)]
    assert open_spans(OFFICE, date(2026, 12, 24)) == [(540, 780)]
    assert open_spans(OFFICE, date(2026, 12, 25)) == []
    assert open_spans(OFFICE, date(2026, 12, 19)) == [(600, 840)]  # a Saturday, open for the sale
    assert open_spans(OFFICE, date(2026, 12, 20)) == []


def test_a_deadline_skips_closing_time_holidays_and_counts_reduced_hours() -> None:
    # Thursday 24 December 11:00 with 4 business hours: 2 hours left on Christmas Eve (closes
    # 13:00), Christmas Day closed, the weekend closed, 2 more hours on Monday 28 December.
    start = datetime(2026, 12, 24, 11, 0, tzinfo=AMS)
    assert business_deadline(OFFICE, start, timedelta(hours=4)) == datetime(2026, 12, 28, 11, 0, tzinfo=AMS)
    # Without the special hours the same target would end on Christmas Eve at 15:00.
    plain = {k: v for k, v in OFFICE.items() if k != "special_hours"}
    assert business_deadline(plain, start, timedelta(hours=4)) == datetime(2026, 12, 24, 15, 0, tzinfo=AMS)


def test_business_time_between_counts_only_opening_hours() -> None:
    start = datetime(2026, 12, 24, 8, 0, tzinfo=AMS)
    end = datetime(2026, 12, 28, 10, 30, tzinfo=AMS)
    assert business_time_between(OFFICE, start, end) == timedelta(hours=5, minutes=30)
    # Times in another zone are read in the calendar's zone (Manila is 7 hours ahead in winter).
    manila = datetime(2026, 12, 24, 17, 0, tzinfo=ZoneInfo("Asia/Manila"))  # 10:00 in Amsterdam
    assert business_time_between(OFFICE, manila, end) == timedelta(hours=4, minutes=30)


def test_working_days_skip_holidays_and_weekends_but_count_special_days() -> None:
    assert working_days(OFFICE, date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert working_days(OFFICE, date(2026, 12, 18), 1) == date(2026, 12, 19)
