"""The wording layer: numbers, money, dates, durations and phrases for the playbook's locale."""

from __future__ import annotations

import datetime as dt

import pytest

from playbookgen.durations import Duration, parse_iso
from playbookgen.wording import Wording, parse_locale

EN = Wording("en-GB", "EUR")
CALENDAR = {
    "hours": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "open": "09:00", "close": "21:00"}]
}


@pytest.mark.parametrize(
    ("locale", "currency", "amount", "expected"),
    [
        ("en-GB", "EUR", 25, "€25"),
        ("en-GB", "EUR", 12.5, "€12.50"),
        ("en-GB", "EUR", 1200, "€1,200"),
        ("nl-NL", "EUR", 12.5, "€\xa012,50"),
        ("vi-VN", "VND", 50000, "50.000\xa0₫"),
        ("ja-JP", "JPY", 1500, "￥1,500"),
        ("en-US", "USD", 0.5, "$0.50"),
    ],
)
def test_money_follows_locale_and_minor_units(
    locale: str, currency: str, amount: float, expected: str
) -> None:
    assert Wording(locale, currency).money(amount) == expected


def test_money_leaves_text_alone() -> None:
    assert EN.money("n/a") == "n/a"
    assert EN.money(True) == "True"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P5Y", "5 years"),
        ("P1Y", "1 year"),
        ("P18M", "18 months"),
        ("P1Y6M", "1 year 6 months"),
        ("P2W", "2 weeks"),
        ("P730D", "730 days"),
        ("PT90M", "1 hour 30 minutes"),
        ("PT48H", "2 days"),
        ("P1DT12H", "1 day 12 hours"),
        ("PT0M", "0 minutes"),
    ],
)
def test_durations_keep_years_and_months(text: str, expected: str) -> None:
    assert EN.duration(text) == expected


def test_duration_parse_keeps_units_and_approximates() -> None:
    assert parse_iso("P1Y2M") == Duration(years=1, months=2)
    assert parse_iso("P1Y").approx == dt.timedelta(days=365)  # type: ignore[union-attr]
    assert parse_iso("4 hours") is None
    assert EN.duration("soon") == "soon"
    assert EN.duration(dt.timedelta(seconds=420)) == "7 minutes"


@pytest.mark.parametrize(
    ("text", "clock", "expected"),
    [
        ("PT4H", "business", "4 business hours (Mon–Sat 09:00–21:00)"),
        ("PT8H30M", "business", "8.5 business hours (Mon–Sat 09:00–21:00)"),
        ("P2D", "business", "2 business days (Mon–Sat 09:00–21:00)"),
        ("PT1H", "business", "1 business hour (Mon–Sat 09:00–21:00)"),
        ("PT30M", "business", "30 business minutes (Mon–Sat 09:00–21:00)"),
        ("PT4H", "calendar", "4 hours, around the clock"),
        ("P2D", "calendar", "2 days, around the clock"),
    ],
)
def test_sla_targets_in_words(text: str, clock: str, expected: str) -> None:
    assert EN.target(text, clock, CALENDAR) == expected


def test_short_targets_for_cheat_sheets() -> None:
    assert EN.short_target("PT30M", "business") == "30 business min"
    assert EN.short_target("PT4H", "business") == "4 business h"
    assert EN.short_target("PT8H30M", "business") == "8.5 business h"
    assert EN.short_target("P2D", "business") == "2 business days"
    assert EN.short_target("P2D", "calendar") == "2 days"


def test_calendar_hours_in_the_locale() -> None:
    assert EN.calendar_hours(CALENDAR) == "Mon–Sat 09:00–21:00"
    assert EN.calendar_hours({"always_open": True}) == "24/7"
    assert EN.calendar_hours({"hours": []}) == "no opening hours"
    us = Wording("en-US", "USD").calendar_hours(CALENDAR)
    assert us == "Mon–Sat 9:00\u202fAM–9:00\u202fPM"
    nl = Wording("nl-NL", "EUR").calendar_hours(
        {"hours": [{"days": ["mon", "sun"], "open": "09:00", "close": "24:00"}]}
    )
    assert nl == "ma, zo 09:00–24:00"


def test_priority_label_is_never_doubled() -> None:
    assert EN.priority_label("p1", "Critical") == "P1 Critical"
    assert EN.priority_label("p1", "P1 Critical") == "P1 Critical"
    assert EN.priority_label("p2", "P2") == "P2"
    assert EN.priority_label("urgent", "Urgent") == "Urgent"


@pytest.mark.parametrize(
    ("value", "unit", "direction", "expected"),
    [
        (85, "percent", "higher-is-better", "at least 85%"),
        (92.5, "percent", "higher-is-better", "at least 92.5%"),
        (420, "seconds", "lower-is-better", "at most 7 minutes (420 seconds)"),
        (30, "seconds", "lower-is-better", "at most 30 seconds"),
        (4.5, "currency", "lower-is-better", "at most €4.50"),
        (45, "nps", "higher-is-better", "at least 45 (NPS)"),
        (2, "days", "lower-is-better", "at most 2 days"),
        (1, "days", "lower-is-better", "at most 1 day"),
        (100, "count", "track", "100"),
    ],
)
def test_kpi_targets_have_one_form(value: float, unit: str, direction: str, expected: str) -> None:
    assert EN.kpi_target(value, unit, direction) == expected


def test_dates_numbers_and_words() -> None:
    assert EN.date("2026-11-01") == "1 November 2026"
    assert EN.date("not a date") == "not a date"
    assert Wording("nl-NL").date("2026-11-01") == "1 november 2026"
    assert Wording("vi-VN").date(dt.date(2026, 11, 1)) == "1 tháng 11, 2026"
    assert EN.number(1234.5) == "1,234.5"
    assert Wording("nl-NL").number(1234.5) == "1.234,5"
    assert EN.number(3.0) == "3"
    assert EN.percent(50) == "50%"
    assert EN.raci_word("A") == "Accountable"
    assert EN.level_caption(3, "Case team") == "Level 3 · Case team"
    assert EN.join(["a", "b", "c"]) == "a, b and c"
    assert EN.stage_name("take-action") == "Take action"


def test_unknown_locale_falls_back_to_english() -> None:
    assert parse_locale("xx-not-a-locale").language == "en"
    assert Wording("xx-not-a-locale").date("2026-11-01") == "November 1, 2026"


def test_phrases_come_from_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """A translated catalogue changes what the wording layer says, numbers and all."""
    import gettext

    class Dutch(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return {"%(duration)s, around the clock": "%(duration)s, dag en nacht"}.get(message, message)

    words = Wording("nl-NL", "EUR")
    monkeypatch.setattr(words, "translations", Dutch())
    assert words.target("P2D", "calendar", None) == "2 dagen, dag en nacht"


def test_working_days_read_as_working_days() -> None:
    words = Wording("en-GB")
    assert words.measure(3, "working-days") == "3 working days"
    assert words.measure(1, "working-days") == "1 working day"
