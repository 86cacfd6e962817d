"""Amounts read as written: separators, minor units and typed policy values."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbookgen import money
from playbookgen.loader import load_bytes
from playbookgen.schema import load_schema


def _problems(text: str, currency: str = "EUR", kind: str = "authority") -> list[str]:
    doc, found = load_bytes(text.encode("utf-8"), Path(f"{kind}.yaml"), f"{kind}.yaml")
    assert doc is not None, found
    problems = money.check({doc.relpath: doc}, {doc.relpath: kind}, {"currency": currency})
    return [f"{p.line}:{p.column} {p.rule} {p.message}" for p in problems]


def _cap(amount: str) -> str:
    return f"limits:\n  - role: agent\n    caps:\n      - type: voucher\n        per_case: {amount}\n"


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        ("50", "EUR"),
        ("50.5", "EUR"),
        ("50.00", "EUR"),
        ("12.345", "KWD"),
        ("100000", "VND"),
        ("100.00", "JPY"),
    ],
)
def test_amounts_that_fit_pass(amount: str, currency: str) -> None:
    assert _problems(_cap(amount), currency) == []


def test_three_digits_after_a_dot_is_refused_with_both_readings() -> None:
    (problem,) = _problems(_cap("50.000"))
    assert problem.startswith("5:19 money-separator 50.000 has three digits after the dot")
    assert "write 50000 for €50,000, or 50.00 for €50" in problem


def test_three_digits_after_a_dot_in_a_zero_decimal_currency() -> None:
    (problem,) = _problems(_cap("50.000"), "JPY")
    assert "money-separator" in problem and "write 50000 for ¥50,000, or 50 for ¥50" in problem


@pytest.mark.parametrize(("amount", "fix"), [("100000.5", "write 100000 or 100001")])
def test_more_decimals_than_the_currency_has(amount: str, fix: str) -> None:
    for currency in ("VND", "JPY", "KRW"):
        (problem,) = _problems(_cap(amount), currency)
        assert "money-minor-units" in problem and problem.endswith(fix)


def test_an_amount_written_as_text_says_how_to_write_it() -> None:
    (problem,) = _problems(_cap("'€ 1.250,50'"))
    assert "money-separator" in problem and "write 1250.50 for €1,250.50" in problem
    assert "no currency sign" in problem


def test_every_policy_unit_has_a_type() -> None:
    units = load_schema("policies")["properties"]["policies"]["items"]["properties"]["unit"]["enum"]
    for unit in units:
        text = f"policies:\n  - id: a\n    value: 12 things\n    unit: {unit}\n"
        problems = _problems(text, kind="policies")
        if unit == "text":
            assert problems == []
        else:
            assert len(problems) == 1 and "value-type" in problems[0], (unit, problems)
        assert _problems(f"policies:\n  - id: a\n    value: 12\n    unit: {unit}\n", kind="policies") == []


def test_a_kpi_target_in_currency_is_an_amount() -> None:
    text = "kpis:\n  - id: cost\n    unit: currency\n    target: 4.500\n"
    (problem,) = _problems(text, kind="kpis")
    assert "4:13 money-separator" in problem
