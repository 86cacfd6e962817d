"""playbookgen measure: business time to the second, the export readers, the figures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.measure import MeasureRequest, report
from playbookgen.measure.clock import BusinessClock
from playbookgen.measure.tickets import parse_instants

ROOT = Path(__file__).resolve().parent.parent
AMS = ZoneInfo("Europe/Amsterdam")
OFFICE: dict[str, Any] = {
    "timezone": "Europe/Amsterdam",
    "hours": [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:30"}],
    "holidays": [{"date": "2026-12-25", "name": "Christmas Day"}],
    "special_hours": [{"date": "2026-12-24", "name": "Christmas Eve", "open": "09:00", "close": "13:00"}],
}


def minutes(calendar: dict[str, Any], start: datetime, end: datetime) -> float:
    return BusinessClock(calendar).seconds(start, end) / 60


# --- hand-computed cases ----------------------------------------------------------------------


def test_friday_evening_to_monday_morning_is_one_hour() -> None:
    # Fri 17:00–17:30 and Mon 09:00–09:30.
    assert (
        minutes(OFFICE, datetime(2026, 11, 27, 17, 0, tzinfo=AMS), datetime(2026, 11, 30, 9, 30, tzinfo=AMS))
        == 60
    )


def test_a_holiday_counts_nothing_and_special_hours_replace_the_day() -> None:
    # Wed 23 Dec 17:00 → Mon 28 Dec 10:00: Wed 30 min, Thu 24 Dec special 09:00–13:00 (240),
    # Fri 25 Dec holiday (0), weekend (0), Mon 60.
    start, end = datetime(2026, 12, 23, 17, 0, tzinfo=AMS), datetime(2026, 12, 28, 10, 0, tzinfo=AMS)
    assert minutes(OFFICE, start, end) == 30 + 240 + 60
    # At 14:00 on the special day the office is already closed.
    assert not BusinessClock(OFFICE).is_open(datetime(2026, 12, 24, 14, 0, tzinfo=AMS))
    assert (
        minutes(OFFICE, datetime(2026, 12, 24, 12, 0, tzinfo=AMS), datetime(2026, 12, 24, 16, 0, tzinfo=AMS))
        == 60
    )


def test_a_time_zone_other_than_the_machines() -> None:
    tokyo = {**OFFICE, "timezone": "Asia/Tokyo", "holidays": [], "special_hours": []}
    # 08:00 UTC is 17:00 in Tokyo: 30 minutes to closing; Monday 00:30 UTC is 09:30 in Tokyo.
    start = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    end = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    assert minutes(tokyo, start, end) == 60


def test_a_dst_night_keeps_wall_clock_hours() -> None:
    night = {"timezone": "Europe/Amsterdam", "hours": [{"days": ["sun"], "open": "00:00", "close": "24:00"}]}
    # 25 October 2026 has 25 hours in Amsterdam.
    start = datetime(2026, 10, 25, 0, 0, tzinfo=AMS)
    assert minutes(night, start, start + timedelta(days=2)) == 25 * 60


def test_always_open_counts_every_second() -> None:
    start = datetime(2026, 11, 27, 17, 0, tzinfo=AMS)
    assert minutes({"always_open": True}, start, start + timedelta(hours=5)) == 300


# --- property: agrees with a minute-by-minute reference --------------------------------------


def reference_minutes(calendar: dict[str, Any], start: datetime, end: datetime) -> int:
    clock = BusinessClock(calendar)
    total, moment = 0, start
    while moment < end:
        total += clock.is_open(moment)
        moment += timedelta(minutes=1)
    return total


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Any]:
    hours = []
    for _ in range(draw(st.integers(0, 3))):
        opens = draw(st.integers(0, 23 * 60)) // 15 * 15
        closes = draw(st.integers(opens + 15, 24 * 60)) // 15 * 15
        if closes <= opens:
            continue
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
        hours.append(
            {
                "days": days,
                "open": f"{opens // 60:02d}:{opens % 60:02d}",
                "close": f"{closes // 60:02d}:{closes % 60:02d}",
            }
        )
    base = date(2026, 3, 25)
    holidays = [
        {"date": (base + timedelta(days=d)).isoformat(), "name": "h"}
        for d in draw(st.sets(st.integers(0, 9), max_size=3))
    ]
    special = [
        {"date": (base + timedelta(days=d)).isoformat(), "name": "s", "open": "10:00", "close": "12:30"}
        for d in draw(st.sets(st.integers(0, 9), max_size=2))
    ]
    zone = draw(st.sampled_from(["Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "UTC"]))
    return {"timezone": zone, "hours": hours, "holidays": holidays, "special_hours": special}


@settings(max_examples=40, deadline=None)
@given(calendars(), st.integers(0, 6 * 24 * 60), st.integers(0, 3 * 24 * 60))
def test_business_minutes_agree_with_counting_every_minute(
    calendar: dict[str, Any], offset: int, length: int
) -> None:
    # Around the spring DST change of both Europe (29 March) and the US (8 March is earlier).
    start = datetime(2026, 3, 25, tzinfo=UTC) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    assert minutes(calendar, start, end) == reference_minutes(calendar, start, end)


def test_many_instants_at_once_match_one_at_a_time() -> None:
    clock = BusinessClock(OFFICE)
    rng = np.random.default_rng(7)
    base = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    starts = base + rng.integers(0, 30 * 86400, 200).astype(float)
    ends = starts + rng.integers(0, 10 * 86400, 200).astype(float)
    together = clock.between(starts, ends)
    for s, e, t in zip(starts, ends, together, strict=True):
        single = BusinessClock(OFFICE).seconds(datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC))
        assert t == single


def test_parse_instants_reads_local_and_offset_times_and_flags_bad_ones() -> None:
    values, bad = parse_instants(
        ["2026-11-27 17:00:00", "", "2026-11-27T16:00:00Z", "27/11/2026", "2026-07-01 12:00"], AMS
    )
    assert values[0] == datetime(2026, 11, 27, 17, 0, tzinfo=AMS).timestamp()
    assert np.isnan(values[1])
    assert values[2] == values[0]
    assert bad == [3]
    assert values[4] == datetime(2026, 7, 1, 10, 0, tzinfo=UTC).timestamp()


# --- the report on the reference playbook ---------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> Any:
    checked = check(ROOT / "playbook")
    assert checked.ok
    return checked.playbook


GENERIC = """id,created_at,first_response_at,resolved_at,priority,category,channel,team
T1,2026-11-27 17:00,2026-11-30 09:30,2026-11-30 12:00,p3,account-access,email,BPO
T2,2026-11-27 17:00,2026-11-27 18:30,2026-11-27 19:00,p3,account-access,email,BPO
T3,not a date,,,p4,account-access,email,BPO
T4,2026-11-27 17:00,2026-11-26 09:00,,p4,account-access,email,BPO
T5,2026-11-27 17:00,2026-11-28 09:00,,p9,account-access,email,BPO
T6,2026-11-30 09:00,,,p4,account-access,chat,BPO
"""


def test_generic_export_figures_and_bad_rows(reference: Any) -> None:
    result = report(
        reference,
        GENERIC,
        MeasureRequest(Path("tickets.csv"), "generic", as_of=datetime(2026, 11, 30, 16, 0)),
    )
    assert (result.read, result.measured, result.rejected) == (6, 3, 3)
    assert [(p.line, p.rule) for p in result.problems] == [
        (4, "ticket-row"),
        (5, "ticket-row"),
        (6, "ticket-row"),
    ]
    assert "before the ticket was created" in result.problems[1].message
    overall = next(f for f in result.figures if f["period"] == "all" and f["dimension"] == "all")
    # standard policy, P3 on the contact-centre calendar (Mon–Sat 08:00–22:00, Sun 10:00–18:00):
    # T1 Fri 17:00 → Mon 09:30 = 5 h Fri + 14 h Sat + 8 h Sun + 1.5 h Mon = 28.5 h > 2 h: breached;
    # T2 90 minutes: met. T6 (P4, 4 h) created Mon 09:00, unanswered at 16:00 (7 h): breached.
    assert (overall["first_response_met"], overall["first_response_breached"]) == (1, 2)
    assert overall["first_response_median_minutes"] == pytest.approx((90 + 28.5 * 60) / 2)
    breaches = {(b[0], b[2]) for b in result.breaches}
    assert ("T1", "first_response") in breaches and ("T6", "first_response") in breaches
    assert overall["backlog_at_end"] == 1  # T6
    frt = next(k for k in result.kpis if k["kpi"] == "frt" and k["period"] == "all")
    assert frt["met"] is False


def test_zendesk_export(reference: Any) -> None:
    text = (
        "Id,Status,Priority,Via,Group,Tags,Created at,Solved at,First reply time in minutes\n"
        "101,solved,Normal,Mail,BPO,cat_account-access tier_gold,2026-11-27 17:00:00,2026-11-27 18:00:00,30\n"
        "102,open,Urgent,Chat,BPO,cat_damaged-item,2026-11-27 17:00:00,,\n"
    )
    result = report(
        reference, text, MeasureRequest(Path("z.csv"), "zendesk", as_of=datetime(2026, 11, 27, 17, 10))
    )
    assert result.rejected == 0 and result.measured == 2
    tiers = {f["value"] for f in result.figures if f["dimension"] == "tier"}
    assert tiers == {"gold", ""}
    priorities = {f["value"] for f in result.figures if f["dimension"] == "priority"}
    assert priorities == {"p1", "p3"}  # helpdesk.yaml: urgent p1, normal p3
    categories = {f["value"] for f in result.figures if f["dimension"] == "category"}
    assert categories == {"account-access", "damaged-item"}  # tags cat_<id>
    channels = {f["value"] for f in result.figures if f["dimension"] == "channel"}
    assert channels == {"email", "live-chat"}  # Via Mail and Chat, mapped in helpdesk.yaml


def test_freshdesk_export_reads_type_and_closed_time(reference: Any) -> None:
    text = (
        "Ticket ID,Priority,Source,Type,Group,Created time,Resolved time,Closed time,"
        "Initial response time,Tags\n"
        "7,Medium,Email,Account access,BPO,2026-11-27 17:00:00,,2026-11-27 19:00:00,2026-11-27 17:30:00,\n"
    )
    result = report(reference, text, MeasureRequest(Path("f.csv"), "freshdesk"))
    overall = next(f for f in result.figures if f["period"] == "all" and f["dimension"] == "category")
    assert overall["value"] == "account-access"
    assert overall["resolution_met"] == 1 and overall["first_response_met"] == 1


def test_missing_columns_are_a_setup_problem(reference: Any) -> None:
    result = report(reference, "a,b\n1,2\n", MeasureRequest(Path("x.csv"), "zendesk"))
    assert [p.rule for p in result.problems] == ["measure-setup"]
    assert "'Id'" in result.problems[0].message


def test_cli_writes_json_and_csv(tmp_path: Path) -> None:
    export = tmp_path / "tickets.csv"
    export.write_text(GENERIC, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["measure", str(export), "--playbook", str(ROOT / "playbook"), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output  # three rows were left out
    assert "tickets.csv:4:1: error ticket-row" in result.output
    data = json.loads((out / "measure.json").read_text())
    assert data["tickets"] == {"read": 6, "measured": 3, "rejected": 3}
    assert (out / "figures.csv").read_text().startswith("period,label,dimension,value,tickets")
    assert "T1" in (out / "breaches.csv").read_text()


def test_line_numbers_count_quoted_line_breaks_and_short_rows(reference: Any) -> None:
    text = (
        "id,subject,created_at,first_response_at,resolved_at,priority,category\n"
        'A1,"Two\nlines",2026-11-27 17:00,,,p3,returns\n'
        "A2,short\n"
        "A3,x,2026-11-27 17:00,,2026-11-27 16:00,p3,returns\n"
    )
    result = report(reference, text, MeasureRequest(Path("t.csv"), "generic"))
    assert [(p.line, p.message[:20]) for p in result.problems] == [
        (4, "the row has 2 values"),
        (5, "the resolution comes"),
    ]
    assert (result.read, result.measured, result.rejected) == (3, 1, 2)


# --- the page, the site section and the monthly PDF ------------------------------------------

SAMPLE = ROOT / "examples" / "zendesk-tickets-2026-11.csv"


@pytest.fixture(scope="module")
def sample(reference: Any) -> Any:
    from playbookgen.measure import read_report

    return read_report(reference, MeasureRequest(SAMPLE, "zendesk"))


def test_sample_export_measures_cleanly(sample: Any) -> None:
    assert (sample.read, sample.rejected) == (600, 0)
    months = {f["label"] for f in sample.figures if f["period"] == "month"}
    assert months == {"2026-11"}
    assert {k["kpi"] for k in sample.kpis} == {"frt", "tat", "sla-compliance", "backlog"}


def test_site_section_has_static_charts_and_tables(reference: Any, sample: Any) -> None:
    from playbookgen.render.site import site_files

    files = site_files(reference, performance=sample).files
    page = files["docs/performance.md"]
    assert "# Service performance" in page and "November 2026" in page
    assert "First response time (FRT)" in page and "not met" in page
    assert "Late delivery" in page  # the category names, not ids
    for chart in ("docs/performance/weekly.svg", "docs/performance/backlog.svg"):
        assert files[chart].startswith("<svg") and "<script" not in files[chart]
    assert "performance.md" in files["mkdocs.yml"]


def test_monthly_report_is_one_page(reference: Any, sample: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from playbookgen.render.performance import write_pages

    written = write_pages(reference, sample, tmp_path)
    assert [p.name for p in written] == ["index.html", "report.pdf"]
    assert len(PdfReader(written[1]).pages) == 1
    html = written[0].read_text()
    assert "Service performance, November 2026" in html and "<script" not in html


# --- the DuckDB reader gives the csv module's figures and problems ---------------------------

needs_duckdb = pytest.mark.skipif(
    __import__("importlib").util.find_spec("duckdb") is None, reason="DuckDB (the measure extra)"
)


def both_engines(reference: Any, path: Path, source: str = "zendesk", **kw: Any) -> tuple[Any, Any]:
    from playbookgen.measure import read_report
    from playbookgen.measure.columnar import read_tickets_columnar

    request = MeasureRequest(path, source, **kw)
    fast = read_report(reference, request, engine="auto")
    slow = read_report(reference, request, engine="python")
    assert json.dumps(fast.as_json()) == json.dumps(slow.as_json())
    assert fast.breaches == slow.breaches
    from playbookgen.helpdesk import config

    columnar = read_tickets_columnar(path, reference, config(reference), source=source, zone=AMS)
    return fast, columnar


@needs_duckdb
def test_duckdb_reads_the_sample_like_the_csv_module(reference: Any) -> None:
    fast, columnar = both_engines(reference, SAMPLE)
    assert columnar is not None and len(columnar) == 600  # the DuckDB path was taken
    assert fast.rejected == 0


@needs_duckdb
def test_duckdb_reports_bad_rows_on_the_csv_modules_lines(reference: Any, tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from tickets import write

    export = write(3000, tmp_path / "bad.csv", seed=7, bad=0.01)
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    # Values only Python parses (offsets, ISO 'T', minutes with decimals) and bad values.
    cells = lines[5].rstrip("\n").split(",")
    cells[8] = cells[8].replace(" ", "T") + "+01:00"
    lines[5] = ",".join(cells) + "\n"
    cells = lines[9].rstrip("\n").split(",")
    cells[8], cells[10] = "2026-11-31 10:00:00", "12.5"
    lines[9] = ",".join(cells) + "\n"
    cells = lines[12].rstrip("\n").split(",")
    cells[4], cells[10] = "Whenever", "soon"
    lines[12] = ",".join(cells) + "\n"
    cells = lines[15].rstrip("\n").split(",")
    cells[8] = "27/11/2026 10:00"
    lines[15] = ",".join(cells) + "\n"
    export.write_text("".join(lines), encoding="utf-8")
    fast, columnar = both_engines(reference, export)
    assert columnar is not None  # DuckDB read it; only the odd values went through Python
    bad = {p.line for p in fast.problems if p.rule == "ticket-row"}
    assert {10, 13, 16} <= bad and 6 not in bad
    assert fast.rejected == len(bad) > 3  # and the generator's "solved before created"


@needs_duckdb
def test_quoted_line_breaks_and_short_rows_fall_back_to_the_csv_module(
    reference: Any, tmp_path: Path
) -> None:
    export = tmp_path / "odd.csv"
    export.write_text(
        "Id,Subject,Priority,Created at,Solved at\n"
        '1,"Two\nlines",Normal,2026-11-27 17:00:00,\n'
        "2,short\n"
        "3,x,Normal,2026-11-27 17:00:00,2026-11-27 16:00:00\n",
        encoding="utf-8",
    )
    fast, columnar = both_engines(reference, export)
    assert columnar is None
    assert [p.line for p in fast.problems] == [4, 5]


def test_breaches_csv_is_what_the_csv_module_writes(reference: Any, tmp_path: Path) -> None:
    """breaches.csv is written from columns; its bytes are csv.writer's of the rows, also for
    ids that need quoting, equal creation minutes (ordered by id) and tickets still open."""
    import csv
    import io

    from playbookgen.measure import write_report
    from playbookgen.measure.attainment import BREACH_COLUMNS

    text = (
        "Id,Status,Priority,Via,Group,Tags,Created at,Solved at,First reply time in minutes\n"
        '"B,2",open,Urgent,Chat,"Team ""A""",cat_damaged-item,2026-11-27 09:00:00,,\n'
        "A1,solved,Normal,Mail,BPO,cat_account-access,2026-11-27 09:00:30,2026-11-30 18:00:00,600.5\n"
        "C3,solved,Low,Mail,BPO,cat_returns,2026-11-26 08:00:00,2026-11-29 18:00:00,3000\n"
    )
    result = report(
        reference, text, MeasureRequest(Path("z.csv"), "zendesk", as_of=datetime(2026, 12, 1, 9, 0))
    )
    rows = list(result.breaches)
    assert len(rows) == len(result.breaches) >= 4
    assert [r[0] for r in rows][:1] == ["C3"]  # oldest first
    assert [r[0] for r in rows if r[3] == "2026-11-27T09:00"][:2] == ["A1", "A1"]  # then by id
    assert any(r[6] is True and r[5] is None for r in rows)  # still open: no time taken
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow(BREACH_COLUMNS)
    writer.writerows(rows)
    write_report(result, tmp_path)
    assert (tmp_path / "breaches.csv").read_bytes() == expected.getvalue().encode("utf-8")
    assert '"B,2"' in expected.getvalue() and '"Team ""A"""' in expected.getvalue()
