"""Ownership and review dates: the date arithmetic, the day reviews are judged on, the units
a playbook has, and that a review is no policy change."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen import review
from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.diff import compare
from playbookgen.model import load_playbook
from playbookgen.review import Interval

from .conftest import REFERENCE


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        ("2026-01-10", "P90D", "2026-04-10"),
        ("2026-12-20", "P30D", "2027-01-19"),
        ("2026-02-01", "P6W", "2026-03-15"),
        ("2026-04-20", "P6M", "2026-10-20"),
        ("2026-08-31", "P6M", "2027-02-28"),  # month end: the last day of the shorter month
        ("2027-08-31", "P6M", "2028-02-29"),  # … a leap year's February
        ("2026-01-31", "P1M", "2026-02-28"),
        ("2026-03-31", "P1M", "2026-04-30"),
        ("2026-10-31", "P3M", "2027-01-31"),
        ("2024-02-29", "P1Y", "2025-02-28"),
        ("2024-02-29", "P4Y", "2028-02-29"),
        ("2026-11-15", "P1Y2M", "2028-01-15"),
        ("2026-01-31", "P1M1D", "2026-03-01"),  # months first, then days
    ],
)
def test_next_review_date(start: str, interval: str, expected: str) -> None:
    parsed = Interval.parse(interval)
    assert parsed is not None
    assert parsed.after(date.fromisoformat(start)) == date.fromisoformat(expected)


@pytest.mark.parametrize("text", ["P", "P0D", "PT4H", "6M", "P1.5M", "", None, 6])
def test_not_an_interval(text: object) -> None:
    assert Interval.parse(text) is None


def test_the_day_reviews_are_judged_on(monkeypatch: pytest.MonkeyPatch) -> None:
    playbook, _ = load_playbook(REFERENCE)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert review.as_of(playbook) == (date(2026, 11, 1), "the effective date")
    assert review.as_of(playbook, clock=True)[1] == "today's date"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18 UTC
    assert review.as_of(playbook) == (date(2026, 11, 18), "SOURCE_DATE_EPOCH")
    assert review.as_of(playbook, date(2026, 12, 1)) == (date(2026, 12, 1), "--today")


def test_reference_units_on_its_effective_date() -> None:
    playbook, _ = load_playbook(REFERENCE)
    units = review.units(playbook, date(2026, 11, 1))
    by_status: dict[str, list[str]] = {}
    for unit in units:
        by_status.setdefault(unit.status, []).append(f"{unit.kind}:{unit.id}")
        assert unit.owner and playbook.get("role", unit.owner) is not None, unit
        assert unit.last_reviewed is not None and unit.next_review is not None, unit
    assert by_status["due"] == ["category:web-app-bug"]
    assert "overdue" not in by_status and "never" not in by_status
    assert set(by_status["due-soon"]) == {
        "category:payment-delay",
        "category:warranty-repair",
        "form:shift-handover",
        "training:systems-tools",
        "calendars:calendars",
        "policy:data-request-response-days",
    }


def test_today_moves_the_reference_past_its_grace_period() -> None:
    result = check(REFERENCE, today=date(2026, 11, 19))
    overdue = [p for p in result.problems if p.rule == "review-overdue"]
    assert [(p.path, p.severity) for p in overdue] == [("categories/web-app-bug.yaml", "error")]
    assert not result.ok


def test_a_review_is_no_policy_change(tmp_path: Path) -> None:
    """Bumping last_reviewed (or the owner, the interval, the defaults) changes no policy."""
    root = tmp_path / "playbook"
    shutil.copytree(REFERENCE, root)
    path = root / "categories" / "web-app-bug.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"2026-04-20"', '"2026-11-12"'), encoding="utf-8")
    settings = root / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("grace: P30D", "grace: P60D"), encoding="utf-8")
    old, _ = load_playbook(REFERENCE)
    new, _ = load_playbook(root)
    assert compare(old, new).changes == []


def reviewed_line() -> int:
    """The line of the postponed category's review date (other edits may move it)."""
    lines = (REFERENCE / "categories" / "web-app-bug.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index('  last_reviewed: "2026-04-20"') + 1


def run_review(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["review", str(REFERENCE), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_review_lists_by_owner_as_text() -> None:
    code, output = run_review("--today", "2026-11-01")
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "Reviews as of 2026-11-01 (--today)"
    assert lines[2:5] == [
        "Digital and IT (digital-it)",
        "  due            Category: Website or app problem — due 2026-10-20 (12 days ago); check fails "
        "from 2026-11-19",
        f"                 categories/web-app-bug.yaml:{reviewed_line()}",
    ]
    assert "Legal and Compliance (legal-compliance)" in lines
    assert lines[-1] == "1 due, 6 due soon"
    assert run_review("--today", "2026-11-01", "--exit-code")[0] == 1
    assert run_review("--today", "2026-06-01", "--exit-code") == (
        0,
        "Reviews as of 2026-06-01 (--today)\nNothing is due for review.\n",
    )


def test_review_as_markdown_and_json() -> None:
    markdown = run_review("--today", "2026-11-20", "--format", "markdown")[1]
    assert markdown.startswith("## Content reviews as of 2026-11-20\n\n**1 overdue, 3 due, 4 due soon.**")
    owner = "### Digital and IT (`digital-it`)\n\n"
    assert owner + "- [ ] **overdue** — Category: Website or app problem" in markdown
    data = json.loads(run_review("--today", "2026-11-20", "--format", "json")[1])
    assert data["as_of"] == "2026-11-20" and data["counts"] == {"overdue": 1, "due": 3, "due-soon": 4}
    first = data["owners"][0]
    assert first["owner"] == "digital-it"
    assert first["items"] == [
        {
            "kind": "category",
            "id": "web-app-bug",
            "name": "Website or app problem",
            "file": "categories/web-app-bug.yaml",
            "line": reviewed_line(),
            "column": 18,
            "status": "overdue",
            "last_reviewed": "2026-04-20",
            "interval": "P6M",
            "next_review": "2026-10-20",
            "errors_from": "2026-11-19",
        }
    ]
    everything = json.loads(run_review("--today", "2026-11-20", "--format", "json", "--all")[1])
    listed = sum(len(o["items"]) for o in everything["owners"])
    assert listed == len(review.units(load_playbook(REFERENCE)[0], date(2026, 11, 20)))


def test_pages_say_who_owns_them_and_warn_when_late() -> None:
    from playbookgen.render.site import site_files

    result = check(REFERENCE)
    files = site_files(result.playbook, pdf=False).files
    page = files["docs/categories/web-app-bug.md"]
    line = (
        '<p class="pb-review pb-review-late" markdown="span">Content owner: **Digital and IT** · '
        "Last reviewed 20 April 2026 · Next review 20 October 2026</p>"
    )
    assert f'# Website or app problem\n\n{line}\n\n!!! warning "Review overdue"\n' in page
    assert "**Why:** Postponed by Digital and IT until app release 5.2" in page
    returns = files["docs/categories/returns.md"]
    assert "Content owner: **Customer service team lead** · Last reviewed 13 October 2026 · " in returns
    assert "Review overdue" not in returns
    for path in (
        "sla.md",
        "policies.md",
        "calendars.md",
        "escalation.md",
        "raci.md",
        "training/systems-tools.md",
    ):
        assert 'class="pb-review' in files[f"docs/{path}"], path
    assert 'class="pb-review' not in files["docs/index.md"]
    # Judged on a later day the review is past its grace period: check fails (so a build
    # would), and a site rendered anyway says so in red.
    late = check(REFERENCE, today=date(2026, 12, 1))
    assert not late.ok
    files = site_files(late.playbook, pdf=False).files
    assert '!!! danger "Review overdue"' in files["docs/categories/web-app-bug.md"]
