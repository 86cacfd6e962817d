"""One wording layer: every number, amount, date, duration and fixed UI phrase a reader sees,
worded for the playbook's locale.

Numbers, money (with the currency's own minor units), dates, times, day names and unit words
come from CLDR and ISO 4217 through Babel; phrases come from the message catalogues in
``locales/`` (``messages.pot`` lists them, ``<language>.po`` translates them). English is the
source language, so a language without a catalogue reads English. Adding a UI language is
adding one ``locales/<language>.po`` file.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent, get_currency_precision, parse_pattern
from babel.units import format_unit

from playbookgen.durations import DAY_NAMES, Duration, minutes_of, parse_iso
from playbookgen.resources import package_dir

DEFAULT_LOCALE = "en"
SOURCE_LANGUAGE = "en"
"""The language the templates and the code are written in (``locales/en.po`` is complete
by construction)."""
RACI_LETTERS = ("R", "A", "C", "I")
WIDE_FONT_LANGUAGES = frozenset({"vi"})
"""Languages whose letters Liberation Sans 1.07 (Debian's fonts-liberation, the PDFs' usual font)
lacks: Vietnamese needs Latin Extended Additional (ế, ộ, ữ). DejaVu Sans (fonts-dejavu-core) has
them and every symbol the print templates use (✓ ☐ → ÷ ₫)."""
_P_NUMBER = re.compile(r"^p(\d+)$")
_UNITS = (
    ("years", "duration-year"),
    ("months", "duration-month"),
    ("weeks", "duration-week"),
    ("days", "duration-day"),
    ("hours", "duration-hour"),
    ("minutes", "duration-minute"),
    ("seconds", "duration-second"),
)


def N_(message: str) -> str:
    """Marks a phrase for the catalogue where it is defined; it is translated where it is shown."""
    return message


ENUM_WORDS = {
    # channels
    "online": N_("online"),
    "offline": N_("offline"),
    "live": N_("live"),
    "async": N_("async"),
    "self-service": N_("self-service"),
    "in-person": N_("in-person"),
    # contacts
    "customers": N_("customers"),
    "staff": N_("staff"),
    # role groups
    "store": N_("store"),
    "bpo": N_("outsourced (BPO)"),
    "case-team": N_("case team"),
    "leadership": N_("leadership"),
    "partner": N_("partner"),
    # form field types
    "text": N_("text"),
    "textarea": N_("long text"),
    "number": N_("number"),
    "money": N_("amount"),
    "date": N_("date"),
    "time": N_("time"),
    "datetime": N_("date and time"),
    "email": N_("email"),
    "phone": N_("phone"),
    "checkbox": N_("checkbox"),
    "choice": N_("choice"),
    "multi-choice": N_("multiple choice"),
    "signature": N_("signature"),
    # KPI frequencies
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    # QA scales
    "binary": N_("binary"),
    "3-point": N_("3-point"),
    "4-point": N_("4-point"),
    "5-point": N_("5-point"),
    # training delivery
    "classroom": N_("classroom"),
    "e-learning": N_("e-learning"),
    "nesting": N_("nesting"),
    "blended": N_("blended"),
}
"""The words readers see for the fixed values of the source files (a field's ``type: date``,
a KPI's ``frequency: weekly``), in plain English in the source language."""


def parse_locale(tag: object) -> Locale:
    """The Babel locale of a BCP 47 tag such as ``en-GB`` or ``vi-VN`` (English when unknown)."""
    try:
        return Locale.parse(str(tag or DEFAULT_LOCALE).replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The UI message catalogue of ``language`` (``locales/<language>.po``), compiled in memory.
    English, the source language, and languages without a catalogue show the source text."""
    path = package_dir("locales") / f"{language}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        # The templates and code are written in the source language: its catalogue repeats
        # every message, so looking them up (and their plural rules) would only cost time.
        return gettext.NullTranslations()
    # Imported here: an English build reads no catalogue.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


class Wording:
    """The words and formats of one locale and currency; every output asks this for them."""

    def __init__(self, locale: object = DEFAULT_LOCALE, currency: str = "EUR") -> None:
        self.locale = parse_locale(locale)
        self.tag = str(locale or DEFAULT_LOCALE)
        """The locale as the playbook writes it (``en-GB``): what ``<html lang>`` says."""
        self.language = self.locale.language
        self.currency = currency
        self.translations = translations(self.language)
        self.minor_units = get_currency_precision(currency)
        self._money: dict[float | Decimal, str] = {}
        # CLDR formatting is slow and the same numbers, durations and times recur on every
        # page: each is worked out once per wording.
        self._numbers: dict[tuple[type, int | float], str] = {}
        self._durations: dict[tuple[tuple[tuple[int, str], ...], str], str] = {}
        self._times: dict[str, str] = {}

    @functools.cached_property
    def needs_wide_font(self) -> bool:
        """True when print output needs a font with more than Latin, Greek and Cyrillic letters:
        the language is in :data:`WIDE_FONT_LANGUAGES` or the currency symbol is outside them
        (the đồng sign ₫; the euro sign is everywhere)."""
        symbol = self.money(1).replace("1", "")
        return self.language in WIDE_FONT_LANGUAGES or any(
            ord(c) > 0x24F and c != "€" and not c.isspace() for c in symbol
        )

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Wording:
        """The wording of a playbook, from ``locale`` and ``currency`` in playbook.yaml."""
        return cls.cached(
            str(settings.get("locale") or DEFAULT_LOCALE), str(settings.get("currency") or "EUR")
        )

    @staticmethod
    def cached(locale: str, currency: str = "EUR") -> Wording:
        """One shared wording per locale and currency, so its formats are worked out once."""
        return _wording(locale, currency)

    # --- phrases --------------------------------------------------------------------------

    def _(self, message: str, **values: object) -> str:
        """A UI phrase in the reader's language, with ``%(name)s`` placeholders filled."""
        translated = self.translations.gettext(message)
        return translated % values if values else translated

    def n_(self, singular: str, plural: str, count: float, **values: object) -> str:
        """A phrase whose form depends on ``count`` (``%(num)s`` is the formatted count)."""
        translated = self.translations.ngettext(singular, plural, int(count) if count == int(count) else 2)
        return translated % {"num": self.number(count), **values}

    def enum(self, value: object) -> str:
        """A fixed value of a source file in the reader's words ('weekly' → 'hàng tuần')."""
        text = str(value or "")
        known = ENUM_WORDS.get(text)
        return self._(known) if known is not None else text.replace("-", " ")

    # --- numbers, money, dates ------------------------------------------------------------

    def number(self, value: object) -> str:
        """'1,234.5' in English, '1.234,5' in Dutch; whole floats without decimals."""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return str(value)
        if isinstance(value, Decimal):  # Decimal('1.0') == Decimal('1'), but reads '1.0'
            return format_decimal(value, locale=self.locale, decimal_quantization=False)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = (type(value), value)
        shown = self._numbers.get(key)
        if shown is None:
            shown = format_decimal(value, locale=self.locale, decimal_quantization=False)
            self._numbers[key] = shown
        return shown

    def percent(self, value: object) -> str:
        """'85%' for 85 (a percentage written as a number of hundredths), as the locale writes it."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        return format_percent(Decimal(str(value)) / 100, locale=self.locale, decimal_quantization=False)

    def short_seconds(self, value: float) -> str:
        """'7.8 sec' for a table cell: seconds rounded to one decimal, in the locale's short unit."""
        return format_unit(round(value, 1), "duration-second", length="short", locale=self.locale)

    def money(self, amount: object) -> str:
        """'€25', '€12.50', '50.000 ₫': whole amounts without decimals, others with the
        currency's minor units."""
        if isinstance(amount, bool) or not isinstance(amount, (int, float, Decimal)):
            return str(amount)
        shown = self._money.get(amount)
        if shown is None:
            pattern = parse_pattern(self.locale.currency_formats["standard"].pattern)
            digits = 0 if float(amount).is_integer() else self.minor_units
            pattern.frac_prec = (digits, digits)
            shown = pattern.apply(
                Decimal(str(amount)), self.locale, currency=self.currency, currency_digits=False
            )
            # Amounts repeat on every page (caps, offers); CLDR formatting is slow.
            self._money[amount] = shown
        return shown

    def date(self, value: object) -> str:
        """'1 November 2026' (unchanged when it is not a date)."""
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return str(value)
        if not isinstance(value, dt.date):
            return str(value)
        return format_date(value, format="long", locale=self.locale)

    def month(self, value: dt.date) -> str:
        """'November 2026': a month and its year, as the locale names them."""
        return format_date(value, format="LLLL y", locale=self.locale)

    def date_hint(self) -> str:
        """How a reader writes a date by hand in this locale: 'DD/MM/YYYY' in en-GB,
        'MM/DD/YYYY' in en-US, 'dd-mm-jjjj' in Dutch (the short CLDR pattern, year in full)."""
        pattern = self.locale.date_formats["short"].pattern
        letters = {"d": self._("DD"), "M": self._("MM"), "y": self._("YYYY")}
        shown, previous = [], ""
        for char in re.sub(r"'[^']*'", "", pattern):
            if char in letters:
                if char != previous:
                    shown.append(letters[char])
            elif char not in "GEc":
                shown.append(char)
            previous = char
        return "".join(shown).strip(" ,")

    def time_hint(self) -> str:
        """'HH:MM' on a 24-hour clock, 'HH:MM AM/PM' on a 12-hour one."""
        hint = self._("HH:MM")
        if "a" in self.locale.time_formats["short"].pattern:
            return self._("%(time)s AM/PM", time=hint)
        return hint

    def datetime_hint(self) -> str:
        """'DD/MM/YYYY HH:MM'."""
        return f"{self.date_hint()} {self.time_hint()}"

    def time(self, hhmm: object) -> str:
        """'09:00' in en-GB, '9:00 AM' in en-US, for a time written 'HH:MM'."""
        if not isinstance(hhmm, str):
            return self._time(hhmm)
        shown = self._times.get(hhmm)
        if shown is None:
            shown = self._times[hhmm] = self._time(hhmm)
        return shown

    def _time(self, hhmm: object) -> str:
        minutes = minutes_of(hhmm)
        if minutes is None:
            return str(hhmm)
        if minutes >= 24 * 60:
            # A day that closes at 24:00: CLDR has no such time, so show midnight on a
            # 24-hour clock as 24:00 and on a 12-hour clock as it is (12:00 AM).
            midnight = format_time(dt.time(0, 0), format="short", locale=self.locale)
            return "24" + midnight[2:] if midnight.startswith("00") else midnight
        return format_time(dt.time(minutes // 60, minutes % 60), format="short", locale=self.locale)

    def join(self, items: Iterable[str], *, alternatives: bool = False) -> str:
        """'a, b and c' (with ``alternatives``: 'a, b or c')."""
        words = list(items)
        style: Literal["standard", "or"] = "or" if alternatives else "standard"
        return format_list(words, style=style, locale=self.locale) if words else ""

    # --- durations ------------------------------------------------------------------------

    def duration(self, value: object) -> str:
        """'5 years', '2 days', '1 hour 30 minutes': years and months stay years and months."""
        return self._duration(value, "long")

    def short_duration(self, value: object) -> str:
        """'30 mins', '4 hrs', '2 days' for table cells (CLDR's short units)."""
        return self._duration(value, "short")

    def _duration(self, value: object, length: Literal["long", "short"]) -> str:
        duration = _as_duration(value)
        if duration is None:
            return str(value)
        counts = tuple(_parts(duration))
        shown = self._durations.get((counts, length))
        if shown is None:
            parts = [format_unit(n, unit, length=length, locale=self.locale) for n, unit in counts]
            if not parts:
                shown = format_unit(0, "duration-minute", length=length, locale=self.locale)
            else:
                shown = format_list(parts, style="unit-narrow", locale=self.locale)
            self._durations[(counts, length)] = shown
        return shown

    def business_duration(self, value: object) -> str:
        """'4 business hours', '2 business days', '8.5 business hours'."""
        duration = _as_duration(value)
        if duration is None:
            return str(value)
        minutes = int(duration.approx.total_seconds() // 60)
        if minutes and minutes % 1440 == 0:
            return self.n_("%(num)s business day", "%(num)s business days", minutes // 1440)
        if minutes < 60:
            return self.n_("%(num)s business minute", "%(num)s business minutes", minutes)
        return self.n_("%(num)s business hour", "%(num)s business hours", round(minutes / 60, 2))

    def short_target(self, value: object, clock: str) -> str:
        """A target small enough for a cheat-sheet cell: '30 min', '4 business h', '2 days'."""
        duration = _as_duration(value)
        if duration is None:
            return str(value)
        if clock != "business":
            return self.short_duration(duration)
        minutes = int(duration.approx.total_seconds() // 60)
        if minutes < 60:
            return self._("%(num)s business min", num=self.number(minutes))
        if minutes % 1440 == 0:
            return self.n_("%(num)s business day", "%(num)s business days", minutes // 1440)
        return self._("%(num)s business h", num=self.number(round(minutes / 60, 2)))

    def target(self, value: object, clock: str, calendar: Mapping[str, Any] | None) -> str:
        """An SLA target in words: '4 business hours (Mon–Sat 09:00–21:00)' or
        '2 days, around the clock'."""
        if _as_duration(value) is None:
            return str(value)
        if clock == "business" and calendar is not None and not calendar.get("always_open"):
            return self._(
                "%(duration)s (%(hours)s)",
                duration=self.business_duration(value),
                hours=self.calendar_hours(calendar),
            )
        return self._("%(duration)s, around the clock", duration=self.duration(value))

    # --- calendars ------------------------------------------------------------------------

    def day_name(self, day: str) -> str:
        """'Mon' for 'mon', in the reader's language."""
        index = DAY_NAMES.index(day)
        return str(get_day_names("abbreviated", locale=self.locale)[index])

    def calendar_hours(self, calendar: Mapping[str, Any]) -> str:
        """'Mon–Sat 09:00–21:00, Sun 12:00–18:00', or '24/7'."""
        if calendar.get("always_open"):
            return self._("24/7")
        groups: list[str] = []
        for interval in calendar.get("hours", []):
            days = [d for d in DAY_NAMES if d in interval.get("days", [])]
            opens, closes = self.time(interval.get("open")), self.time(interval.get("close"))
            groups.append(f"{self._day_ranges(days)} {opens}–{closes}")
        return ", ".join(groups) if groups else self._("no opening hours")

    def shifted_hours(self, intervals: list[tuple[tuple[str, ...], int, int]]) -> str:
        """Weekly hours seen from another time zone: 'Mon–Sun 22:00–07:00 (next day)'."""
        groups = []
        for days, start, end in intervals:
            opens = self.time(f"{start // 60:02d}:{start % 60:02d}")
            closing = end % (24 * 60) if end > 24 * 60 else end
            closes = self.time(f"{closing // 60:02d}:{closing % 60:02d}")
            if end > 24 * 60:
                closes = self._("%(time)s (next day)", time=closes)
            groups.append(f"{self._day_ranges(list(days))} {opens}–{closes}")
        return ", ".join(groups) if groups else self._("no opening hours")

    def _day_ranges(self, days: list[str]) -> str:
        indexes = [DAY_NAMES.index(d) for d in days]
        runs: list[list[int]] = []
        for index in indexes:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        labels = []
        for run in runs:
            first, last = self.day_name(DAY_NAMES[run[0]]), self.day_name(DAY_NAMES[run[-1]])
            labels.append(
                first if len(run) == 1 else f"{first}–{last}" if len(run) > 2 else f"{first}, {last}"
            )
        return ", ".join(labels)

    # --- playbook facts -------------------------------------------------------------------

    def priority_label(self, priority_id: str, name: str) -> str:
        """'P1 Critical' for priority p1 named Critical; the name alone when it already
        carries its code ('P1 Critical') or the id is no p-number."""
        match = _P_NUMBER.match(priority_id)
        if match is None:
            return name or priority_id
        code = f"P{match.group(1)}"
        if not name:
            return code
        if name.split()[:1] == [code] or name.upper() == code:
            return name
        return self._("%(code)s %(name)s", code=code, name=name)

    def group_name(self, group: str) -> str:
        """The team a role group stands for: 'Outsourced contact centre (BPO)' for bpo."""
        names = {
            "store": self._("Stores"),
            "bpo": self._("Outsourced contact centre (BPO)"),
            "case-team": self._("In-house case team"),
            "leadership": self._("Leadership"),
            "partner": self._("Partner teams"),
        }
        return names.get(group, group)

    def level_caption(self, number: object, name: str) -> str:
        """'Level 3 · Case team'."""
        return self._("Level %(number)s · %(name)s", number=number, name=name)

    def stage_name(self, stage: str) -> str:
        """'Take action' for the recovery-framework stage take-action."""
        names = {
            "listen": self._("Listen"),
            "apologise": self._("Apologise"),
            "solve": self._("Solve"),
            "thank": self._("Thank"),
            "acknowledge": self._("Acknowledge"),
            "take-action": self._("Take action"),
            "explain": self._("Explain"),
            "hear": self._("Hear"),
            "empathise": self._("Empathise"),
            "resolve": self._("Resolve"),
            "diagnose": self._("Diagnose"),
            "react": self._("React"),
            "notify": self._("Notify"),
        }
        return names.get(stage, stage.replace("-", " ").capitalize())

    def raci_word(self, letter: str) -> str:
        """'Responsible' for R, and so on."""
        words = {
            "R": self._("Responsible"),
            "A": self._("Accountable"),
            "C": self._("Consulted"),
            "I": self._("Informed"),
        }
        return words.get(letter.upper(), letter)

    def measure(self, value: object, unit: str) -> str:
        """A value with its unit as the KPI and policy files write it: '85%', '€4.50',
        '7 minutes (420 seconds)', '30 days', '45 (NPS)'."""
        if isinstance(value, bool):
            return self._("yes") if value else self._("no")
        if not isinstance(value, (int, float)):
            return str(value)
        if unit == "percent":
            return self.percent(value)
        if unit == "currency":
            return self.money(value)
        if unit == "working-days":
            return self.n_("%(num)s working day", "%(num)s working days", value)
        if unit == "seconds" and value >= 60:
            return self._(
                "%(duration)s (%(seconds)s)",
                duration=self.duration(dt.timedelta(seconds=value)),
                seconds=format_unit(value, "duration-second", length="long", locale=self.locale),
            )
        cldr = dict(_UNITS).get(unit)
        if cldr is not None:
            return format_unit(value, cldr, length="long", locale=self.locale)
        if unit == "nps":
            return self._("%(value)s (NPS)", value=self.number(value))
        if unit == "ratio":
            return self._("%(value)s (ratio)", value=self.number(value))
        return self.number(value)

    def kpi_target(self, value: object, unit: str, direction: str) -> str:
        """'at least 85%', 'at most 7 minutes (420 seconds)'."""
        shown = self.measure(value, unit)
        if direction == "higher-is-better":
            return self._("at least %(value)s", value=shown)
        if direction == "lower-is-better":
            return self._("at most %(value)s", value=shown)
        return shown

    def direction(self, direction: str) -> str:
        """'higher is better' for higher-is-better."""
        return {
            "higher-is-better": self._("higher is better"),
            "lower-is-better": self._("lower is better"),
        }.get(direction, direction.replace("-", " "))


@functools.cache
def _wording(locale: str, currency: str) -> Wording:
    return Wording(locale, currency)


ENGLISH = Wording("en-GB")
"""The wording of problem messages and reports for the people who edit the playbook:
English with a 24-hour clock and day-month-year dates, read the same everywhere."""


def _as_duration(value: object) -> Duration | None:
    if isinstance(value, Duration):
        return value
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return Duration(seconds=seconds) if seconds >= 0 else None
    return parse_iso(value)


def _parts(duration: Duration) -> list[tuple[int, str]]:
    """The non-zero units of a duration, largest first. Weeks, days and the time part are
    carried upwards (90 minutes is 1 hour 30 minutes, 48 hours 2 days); years and months,
    which have no fixed length, stay as written."""
    seconds = (
        ((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 3600
        + duration.minutes * 60
        + duration.seconds
    )
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    weeks = 0
    if duration.weeks and days % 7 == 0:
        weeks, days = days // 7, 0
    counts = {
        "years": duration.years,
        "months": duration.months,
        "weeks": weeks,
        "days": days,
        "hours": hours,
        "minutes": minutes,
        "seconds": seconds,
    }
    return [(counts[name], unit) for name, unit in _UNITS if counts[name]]
