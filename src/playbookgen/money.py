"""Money and typed values that cannot be misread.

YAML reads ``per_case: 50.000`` (fifty thousand, as much of Europe writes it) as 50.0, and
``100000.5`` passes in a currency without minor units. This check reads every amount as it
is *written* in the file, so the number YAML made of it cannot hide what the author meant.

Which values are money is read off the schemas, not listed here: a property annotated
``"x-unit": "money"`` is an amount in the playbook currency, and one annotated
``"x-unit-from": "unit"`` takes its unit from that sibling key (a policy value, a KPI
target), so it is an amount when the unit is ``currency`` and must be of its unit's type
otherwise (see :data:`UNIT_TYPES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision

from playbookgen.loader import Document, JsonPath
from playbookgen.problems import Problem
from playbookgen.schema import semantics
from playbookgen.wording import DEFAULT_LOCALE, Wording

UNIT_TYPES: dict[str, str] = {
    "currency": "money",
    "text": "any",
    "percent": "number",
    "count": "number",
}
"""What a value of each unit must be; a unit not listed (minutes, hours, days, weeks, months,
years, seconds, nps, ratio…) is a number. ``money`` is a number in the playbook currency that
fits its minor units; ``any`` is text, a number or yes/no."""

_SEPARATORS = ".,'\u00a0\u202f "
_GROUPED = re.compile(r"^[-+]?\d+(?:[.,'\u00a0\u202f ]\d+)+$")
_NUMBER_IN_TEXT = re.compile(r"[-+]?\d[\d.,'\u00a0\u202f ]*")


def check(docs: dict[str, Document], kinds_of: dict[str, str], settings: dict[str, Any]) -> list[Problem]:
    """Every amount written so that it may be misread, and every typed value not of its type."""
    wording = wording_for(settings)
    problems: list[Problem] = []
    for relpath, kind in kinds_of.items():
        problems.extend(check_doc(docs[relpath], kind, wording))
    return problems


def wording_for(settings: dict[str, Any]) -> Wording:
    """The currency and locale the amounts of a playbook are read in."""
    currency = settings.get("currency")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        currency = "EUR"
    locale = settings.get("locale")
    return Wording.cached(locale if isinstance(locale, str) else DEFAULT_LOCALE, currency)


def check_doc(doc: Document, kind: str, wording: Wording) -> list[Problem]:
    """The problems of :func:`check` in one file (they depend on nothing else but ``wording``)."""
    problems: list[Problem] = []
    meaning = semantics(kind)
    for pattern, unit in meaning.unit.items():
        if unit == "money":
            for path, value in _follow(doc.data, pattern):
                problems.extend(_money(doc, path, value, wording))
    for pattern, key in meaning.unit_from.items():
        for path, value in _follow(doc.data, pattern):
            problems.extend(_typed(doc, path, value, key, wording))
    return problems


def _follow(data: Any, pattern: tuple[str, ...]) -> Iterator[tuple[JsonPath, Any]]:
    from playbookgen.model import follow  # the model imports this module

    return follow(data, pattern)


def _typed(doc: Document, path: JsonPath, value: Any, key: str, wording: Wording) -> Iterator[Problem]:
    parent = _at(doc.data, path[:-1])
    unit = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(unit, str):
        return
    wanted = UNIT_TYPES.get(unit, "number")
    if wanted == "any" or value is None:
        return
    if wanted == "money":
        yield from _money(doc, path, value, wording, typed=unit)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        yield doc.problem(
            path,
            "value-type",
            f"{_quote(value)} is {_kind(value)}, but its unit is {unit}: write a plain number "
            f"{_hint(value, unit)}(or use unit: text for a value in words)",
        )


def _money(doc: Document, path: JsonPath, value: Any, wording: Wording, typed: str = "") -> Iterator[Problem]:
    currency, digits = wording.currency, get_currency_precision(wording.currency)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return
    if type(value) is int:
        return  # written as plain digits: nothing to misread, no decimals
    # How a decimal number is written is read again from the file only here: YAML makes
    # the same 50.0 of '50.0', '50.00' and '50.000'.
    written = doc.written(path) if not isinstance(value, str) else value.strip()
    if written is None:
        written = repr(value)
    if isinstance(value, str):
        found = _NUMBER_IN_TEXT.search(written)
        if found is None:
            if typed:
                yield doc.problem(
                    path,
                    "value-type",
                    f"{_quote(value)} is text, but its unit is {typed}: write the amount in {currency} "
                    "as a plain number, e.g. 25 or 12.50",
                )
            return
        number = found.group(0).strip(_SEPARATORS)
        readings = _readings(number, digits)
        rule = "value-type" if typed else "money-separator"
        what = f"its unit is {typed}" if typed else "an amount must be a number"
        sign = ", no currency sign" if number != written else ""
        yield doc.problem(
            path,
            rule,
            f"{_quote(value)} is text, but {what}: {_how(readings, wording)} (plain digits{sign}, "
            f"a dot only before the decimals)",
        )
        return
    if re.fullmatch(r"[-+]?\d+[.,]\d{3}", written) and digits < 3:
        readings = _readings(written, digits)
        thousands = wording.number(readings[0][1])
        yield doc.problem(
            path,
            "money-separator",
            f"{written} has three digits after the dot, but {currency} amounts have "
            f"{_decimals(digits)}: YAML reads it as {wording.number(value)}, not {thousands} — "
            f"{_how(readings, wording)}",
        )
        return
    try:
        exact = Decimal(written)
    except InvalidOperation:
        return
    step = Decimal(1).scaleb(-digits)
    if exact == exact.quantize(step, rounding=ROUND_FLOOR):
        return
    low, high = exact.quantize(step, rounding=ROUND_FLOOR), exact.quantize(step, rounding=ROUND_CEILING)
    yield doc.problem(
        path,
        "money-minor-units",
        f"{written} has more decimals than {currency} has ({_decimals(digits)}); write "
        f"{_plain(low)} or {_plain(high)}",
    )


def _readings(number: str, digits: int) -> list[tuple[str, Decimal]]:
    """What an amount written with separators may mean, each as it should be written: with
    every separator a thousands separator (when three digits follow the last one), and with
    the last one a decimal point (when the currency's minor units allow what follows it)."""
    parts = re.split(f"[{re.escape(_SEPARATORS)}]", number)
    sign = "-" if number.startswith("-") else ""
    parts[0] = parts[0].lstrip("+-")
    if len(parts) == 1:
        return [(sign + parts[0], Decimal(sign + parts[0]))]
    readings: list[tuple[str, Decimal]] = []
    marks = re.findall(f"[{re.escape(_SEPARATORS)}]", number)
    if len(parts[-1]) == 3 and all(len(part) == 3 for part in parts[1:]):
        whole = str(int("".join(parts)))
        readings.append((sign + whole, Decimal(sign + whole)))
    if marks[-1] in marks[:-1] or marks[-1] not in ".,":
        return readings  # '1.500.000': every dot separates thousands
    decimal = Decimal(sign + str(int("".join(parts[:-1]) or "0")) + "." + parts[-1])
    step = Decimal(1).scaleb(-digits)
    if decimal == decimal.quantize(step, rounding=ROUND_FLOOR):
        shown = decimal.quantize(step) if digits else decimal.quantize(Decimal(1))
        readings.append((str(shown), decimal))
    return readings


def _how(readings: list[tuple[str, Decimal]], wording: Wording) -> str:
    if not readings:
        return "write e.g. 50000, or 50.00 with decimals"
    return "write " + ", or ".join(f"{written} for {wording.money(amount)}" for written, amount in readings)


def _plain(amount: Decimal) -> str:
    """How to write a whole or decimal amount in YAML: plain digits."""
    return str(amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount)


def _decimals(digits: int) -> str:
    return "no decimals" if digits == 0 else "1 decimal" if digits == 1 else f"{digits} decimals"


def _hint(value: Any, unit: str) -> str:
    if isinstance(value, str):
        found = _NUMBER_IN_TEXT.search(value)
        if found is not None:
            return f"such as {found.group(0).strip(_SEPARATORS)}, without the unit "
    return ""


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return "true" if value is True else "false" if value is False else str(value)


def _kind(value: Any) -> str:
    return "yes/no" if isinstance(value, bool) else "text" if isinstance(value, str) else "empty"


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
