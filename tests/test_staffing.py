"""Staffing for peaks: Erlang C check values and a comparison grid against a maintained library,
large-traffic stability, chat and backlog methods, opening hours, scenarios, bad forecast rows
with their line numbers, and the chart, page and PDF against goldens."""

from __future__ import annotations

import importlib
import math
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from playbookgen import erlang
from playbookgen.cli import main
from playbookgen.model import Playbook, load_playbook
from playbookgen.render.staffing import chart_svg, plan_csv, plan_html, write_plan
from playbookgen.staffing import StaffingPlan, plan
from playbookgen.wording import Wording

from .conftest import EXAMPLES, REFERENCE

SMALL = EXAMPLES / "staffing-small"
FORECAST = SMALL / "forecast.csv"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "staffing"
HEADER = "interval_start,channel,contacts,aht_seconds,concurrency\n"


def load(root: Path = SMALL) -> Playbook:
    playbook, problems = load_playbook(root)
    assert not [p for p in problems if p.severity == "error"], problems
    return playbook


def small_plan(text: str | None = None, **options: object) -> StaffingPlan:
    forecast = text if text is not None else FORECAST.read_text(encoding="utf-8")
    return plan(load(), forecast, "forecast.csv", **options)  # type: ignore[arg-type]


# --- Erlang C -------------------------------------------------------------------------------------


def test_check_values_from_the_domain_notes() -> None:
    """100 calls in 30 minutes, AHT 180 s, 80% in 20 s → 14 agents (docs: DOMAIN.md)."""
    result = erlang.agents_for(100 * 180 / 1800, 180, 20, 0.80)
    assert result.agents == 14
    assert result.waiting_probability == pytest.approx(0.1741, abs=5e-5)
    assert result.service_level == pytest.approx(0.8884, abs=5e-5)
    assert result.asa_seconds == pytest.approx(7.84, abs=5e-3)
    assert result.occupancy == pytest.approx(0.714, abs=5e-4)
    assert erlang.queue(13, 10, 180, 20).service_level < 0.80


def test_check_values_through_the_plan_with_shrinkage() -> None:
    """The same interval planned from a forecast row: 14 agents, 20 heads after 30% shrinkage."""
    staffing = small_plan(HEADER + "2026-12-24T09:00,hotline,100,180,\n")
    (row,) = staffing.rows
    assert (row.agents, row.scheduled) == (14, 20)
    assert row.service_level == pytest.approx(0.8884, abs=5e-5)
    assert row.asa_seconds == pytest.approx(7.84, abs=5e-3)
    assert not row.over_max


GRID = [
    (contacts, aht, within, target)
    for contacts in (5, 40, 100, 350, 1200)
    for aht in (120, 300, 600)
    for within, target in ((20, 0.80), (60, 0.90), (15, 0.70))
]


@pytest.mark.parametrize(("contacts", "aht", "within", "target"), GRID)
def test_agrees_with_pyworkforce_on_a_grid(contacts: int, aht: int, within: int, target: float) -> None:
    """Agents, service level, probability of waiting and occupancy match pyworkforce's ErlangC."""
    # A test dependency (the test extra), imported here so the rest of the module runs
    # without it; a missing install fails the test rather than skipping it.
    queuing = importlib.import_module("pyworkforce.queuing")
    reference = queuing.ErlangC(transactions=contacts, aht=aht / 60, asa=within / 60, interval=30)
    expected = reference.required_positions(service_level=target, max_occupancy=1.0)
    ours = erlang.agents_for(contacts * aht / 1800, aht, within, target)
    assert ours.agents == expected["raw_positions"]
    assert ours.service_level == pytest.approx(expected["service_level"], rel=1e-9)
    assert ours.waiting_probability == pytest.approx(expected["waiting_probability"], rel=1e-9)
    assert ours.occupancy == pytest.approx(expected["occupancy"], rel=1e-9)
    # pyworkforce has no ASA of its own: the same formula on its probability of waiting.
    traffic = contacts * aht / 1800
    asa = expected["waiting_probability"] * aht / (ours.agents - traffic)
    assert ours.asa_seconds == pytest.approx(asa, rel=1e-9)


@pytest.mark.parametrize("contacts", [5_000, 20_000, 100_000])
def test_large_traffic_stays_finite_and_meets_the_target(contacts: int) -> None:
    """Hundreds to thousands of agents: no overflow, the target met, one agent fewer misses it."""
    traffic = contacts * 180 / 1800
    result = erlang.agents_for(traffic, 180, 20, 0.80)
    assert traffic < result.agents < traffic * 1.1
    assert all(
        math.isfinite(v) for v in (result.service_level, result.waiting_probability, result.asa_seconds)
    )
    assert 0.80 <= result.service_level <= 1
    assert erlang.queue(result.agents - 1, traffic, 180, 20).service_level < 0.80
    if contacts == 5_000:
        assert result.agents == 510
        assert result.waiting_probability == pytest.approx(0.55021, abs=5e-6)


def test_erlang_edges() -> None:
    assert erlang.erlang_c(5, 0) == 0
    assert erlang.erlang_c(5, 5) == 1
    assert erlang.agents_for(0, 180, 20, 0.8).agents == 0
    assert erlang.queue(3, 4, 180, 20).service_level == 0


# --- methods, hours, scenarios ----------------------------------------------------------------


def test_chat_plans_conversation_slots_divided_by_concurrency() -> None:
    staffing = small_plan(HEADER + "2026-12-24T09:30,chat,60,,3\n2026-12-24T10:00,chat,60,,\n")
    three, two = staffing.rows
    slots = erlang.agents_for(60 * 360 / 1800, 360, 60, 0.80).agents
    assert three.agents == math.ceil(slots / 3) and two.agents == math.ceil(slots / 2)
    assert (three.concurrency, two.concurrency) == (3, 2)
    assert three.service_level is not None and three.service_level >= 0.80
    assert three.occupancy == pytest.approx(12 / (three.agents * 3))


def test_backlog_spreads_work_over_the_response_window_at_max_occupancy() -> None:
    """Email: PT1H to answer, 30-minute intervals: each interval's work is split over it and the next."""
    staffing = small_plan(
        HEADER + "2026-12-24T09:00,email,24,,\n2026-12-24T09:30,email,12,,\n2026-12-24T10:00,email,0,,\n"
    )
    work = [r.traffic * 1800 for r in staffing.rows]
    assert work == pytest.approx([3600, 3600 + 1800, 1800])
    assert [r.agents for r in staffing.rows] == [3, 4, 2]
    assert all(r.service_level is None and r.occupancy <= 0.85 for r in staffing.rows)
    assert staffing.carried == {}


def test_only_open_hours_are_planned() -> None:
    """08:30 is before the office opens, 2026-12-25 a holiday, Saturday closed, 16:45 runs past 17:00."""
    text = HEADER + (
        "2026-12-24T08:30,hotline,40,,\n"
        "2026-12-25T09:00,hotline,40,,\n"
        "2026-12-26T10:00,hotline,40,,\n"
        "2026-12-24T16:30,hotline,40,,\n"
        "2026-12-24T16:30+00:00,hotline,40,,\n"
    )
    staffing = small_plan(text)
    assert [r.start.isoformat() for r in staffing.rows] == ["2026-12-24T16:30:00+01:00"]
    assert [c.id for c in staffing.channels] == ["hotline"]
    assert not small_plan(HEADER + "2026-12-24T08:00,chat,4,,\n").channels
    assert (staffing.read, staffing.closed, staffing.rejected) == (5, 4, 0)
    quarter = small_plan(HEADER + "2026-12-24T16:45,hotline,40,,\n", interval=15)
    assert len(quarter.rows) == 1


def test_scenarios_scale_the_forecast() -> None:
    staffing = small_plan(HEADER + "2026-12-24T09:00,hotline,100,180,\n", scales=(0.8, 1.0, 1.5))
    assert [(r.scenario, r.contacts) for r in staffing.rows] == [(0.8, 80), (1.0, 100), (1.5, 150)]
    heads = [r.agents for r in staffing.rows]
    assert heads == sorted(heads) and heads[1] == 14


def test_occupancy_above_the_maximum_is_flagged() -> None:
    staffing = small_plan(HEADER + "2026-12-24T09:00,hotline,5000,180,\n")
    (row,) = staffing.rows
    assert row.agents == 510 and row.over_max


# --- bad rows -----------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_line_and_column_and_left_out() -> None:
    text = HEADER + (
        "2026-12-24T09:00,hotline,100,180,\n"
        "2026-12-24T09:10,hotline,100,,\n"
        "yesterday,hotline,100,,\n"
        "2026-12-24T09:30,hotlne,100,,\n"
        "2026-12-24T09:30,hotline,-3,,\n"
        "2026-12-24T09:30,hotline,10,0,\n"
        "2026-12-24T09:30,hotline,10,,2\n"
        "2026-12-24T09:30,chat,10,,eleven\n"
        "2026-12-24T09:00,hotline,100,180,\n"
        "2026-12-24T10:00,hotline\n"
        "\n"
        "2026-12-24T10:00,email,10,,\n"
    )
    staffing = small_plan(text)
    assert [str(p) for p in staffing.problems] == [
        "forecast.csv:3:1: error forecast-row interval_start 2026-12-24T09:10 is not on the 30-minute "
        "grid; start intervals on the hour or 30 minutes past (or run with --interval 15)",
        "forecast.csv:4:1: error forecast-row interval_start 'yesterday' is not a date and time; write it "
        "as 2026-11-27T08:30 (local time of the office calendar) or with an offset, 2026-11-27T08:30+01:00",
        "forecast.csv:5:18: error forecast-row no channel has the id 'hotlne'; did you mean 'hotline'?",
        "forecast.csv:6:26: error forecast-row contacts is '-3'; write a number, 0 or more",
        "forecast.csv:7:29: error forecast-row aht_seconds is '0'; write a number of seconds above 0",
        "forecast.csv:8:30: error forecast-row concurrency 2 applies to chat only; channel 'hotline' is "
        "planned by erlang-c — leave the column empty",
        "forecast.csv:9:27: error forecast-row concurrency is 'eleven'; write a whole number of chats "
        "from 1 to 10",
        "forecast.csv:10:1: error forecast-row hotline at 2026-12-24T09:00+01:00 is already on line 2; "
        "give each channel one row per interval",
        "forecast.csv:11:1: error forecast-row the row has 2 values and the header 5 columns; give every "
        "row one value per column (leave optional ones empty)",
    ]
    assert (staffing.read, staffing.rejected, len(staffing.rows)) == (11, 9, 2)


def test_unreadable_forecasts_are_problems(tmp_path: Path) -> None:
    forecast = tmp_path / "forecast.csv"
    forecast.write_bytes(
        HEADER.encode() + b"2026-12-24T09:00,hotline,10,,\n2026-12-24T09:30,h\xf4tline,1,,\n"
    )
    runner = CliRunner()
    args = ["staff", str(forecast), "--playbook", str(SMALL), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{forecast}:3:19: error forecast-row the forecast is not UTF-8 text" in result.output
    assert not (tmp_path / "out").exists()
    huge = '"' + "x" * 200_000 + '"'
    broken = small_plan(HEADER + f"2026-12-24T09:00,hotline,10,,\n2026-12-24T09:30,{huge},1,,\n")
    assert [(p.line, p.message[:33]) for p in broken.problems] == [(3, "this line cannot be read as CSV (")]
    assert len(broken.rows) == 1


def test_missing_columns_and_setup_are_problems_not_tracebacks(tmp_path: Path) -> None:
    staffing = small_plan("when,channel,contacts\n2026-12-24T09:00,hotline,1\n")
    assert [str(p) for p in staffing.problems] == [
        "forecast.csv:1:1: error forecast-row the forecast has no interval_start column; its first line "
        "must name the columns interval_start, channel, contacts (and optionally aht_seconds, concurrency)"
    ]
    (empty,) = small_plan("").problems
    assert str(empty).startswith("forecast.csv:1:1: error forecast-row the forecast is empty")
    root = tmp_path / "pb"
    shutil.copytree(SMALL, root)
    (root / "policies.yaml").unlink()
    channels = root / "channels.yaml"
    channels.write_text(channels.read_text(encoding="utf-8").replace("      respond_within: PT1H\n", ""))
    playbook = load(root)
    broken = plan(playbook, HEADER + "2026-12-24T09:00,email,5,,\n", "f.csv")
    assert [str(p) for p in broken.problems] == [
        "channels.yaml:37:5: error staffing-setup channel 'email' is staffed by backlog and needs "
        "respond_within (e.g. PT4H, the first-response target of its SLA policy) under staffing:",
        *(
            f"policies.yaml:1:1: error staffing-setup the staffing plan needs the policy value '{policy}' in "
            "policies.yaml, with unit: percent and a number as its value (e.g. 30 for shrinkage, 85 for "
            "maximum occupancy)"
            for policy in ("staffing-max-occupancy", "staffing-shrinkage")
        ),
    ]
    assert not broken.rows


# --- the command and its files ------------------------------------------------------------------


def test_cli_writes_csv_page_and_pdf_and_reports_rejected_rows(tmp_path: Path) -> None:
    forecast = tmp_path / "forecast.csv"
    forecast.write_text(FORECAST.read_text(encoding="utf-8") + "2026-12-24T11:00,hotline,many,,\n")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        main,
        ["staff", str(forecast), "--playbook", str(SMALL), "--out", str(out), "--scale", "1,1.5"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert (
        f"{forecast}:14:26: error forecast-row contacts is 'many'; write a number, 0 or more" in result.output
    )
    assert "x1 Hotline: peak 29 heads scheduled (20 handling contacts) at 2026-12-24 09:30" in result.output
    assert "13 forecast rows: 1 rejected, 2 outside opening hours (not planned)." in result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "plan.csv", "plan.pdf"]
    text = " ".join(page.extract_text() for page in PdfReader(out / "plan.pdf").pages)
    assert "Staffing plan" in text and "Version 1.0, effective January 1, 2026" in text
    assert "Hotline" in text and "Heads ×1.5" in text


def test_cli_usage_errors() -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["staff", str(FORECAST), "--playbook", str(SMALL), "--scale", "big"])
    assert bad.exit_code == 2 and "'big' is not a number" in bad.output
    missing = runner.invoke(main, ["staff", "no-such.csv"])
    assert missing.exit_code == 2


def test_reference_playbook_plans_the_sample_forecast(tmp_path: Path) -> None:
    forecast = REFERENCE.parent / "examples" / "forecast-black-friday.csv"
    staffing = plan(load(REFERENCE), forecast.read_text(encoding="utf-8"), str(forecast), scales=(1.0, 1.3))
    assert staffing.ok and staffing.rejected == 0 and staffing.closed == 0
    assert [c.id for c in staffing.channels] == ["email", "live-chat", "hotline"]
    assert len(staffing.rows) == 2 * 84
    # The worked example in README.md.
    peaks = {
        (p.scenario, p.channel): (p.agents, p.scheduled, p.start.strftime("%H:%M")) for p in staffing.peaks()
    }
    assert peaks[(1.0, "hotline")] == (44, 63, "10:00")
    assert peaks[(1.0, "live-chat")][:2] == (22, 32)
    assert peaks[(1.0, "email")][:2] == (20, 29)
    wide = plan(load(REFERENCE), forecast.read_text(encoding="utf-8"), str(forecast), scales=(1.5,))
    (hotline,) = [p for p in wide.peaks() if p.channel == "hotline"]
    assert (hotline.agents, hotline.scheduled, hotline.warnings) == (63, 90, 19)


# --- goldens ------------------------------------------------------------------------------------


def _golden(files: dict[str, str]) -> None:
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        GOLDENS.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (GOLDENS / name).write_text(text, encoding="utf-8", newline="\n")
    for name, text in files.items():
        expected = (GOLDENS / name).read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden (PLAYBOOKGEN_UPDATE_GOLDENS=1 accepts it)"


def _without_style(page: str) -> str:
    start, end = page.index("<style>"), page.index("</style>")
    assert end > start
    return page[: start + len("<style>")] + "…" + page[end:]


def test_chart_page_and_csv_match_goldens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    playbook = load()
    staffing = plan(playbook, FORECAST.read_text(encoding="utf-8"), "forecast.csv", scales=(1.0, 1.5))
    hotline = next(c for c in staffing.channels if c.id == "hotline")
    _golden(
        {
            "chart-hotline.svg": chart_svg(staffing, hotline, Wording.of(playbook.settings)),
            # The page carries print.css inline; the stylesheet is not what this golden is about.
            "index.html": _without_style(plan_html(playbook, staffing)),
            "plan.csv": plan_csv(staffing),
        }
    )


def test_plan_pdf_is_reproducible_and_carries_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    playbook = load()
    staffing = plan(playbook, FORECAST.read_text(encoding="utf-8"), "forecast.csv", scales=(1.0, 1.5))
    first = write_plan(playbook, staffing, tmp_path / "a")
    second = write_plan(playbook, staffing, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    reader = PdfReader(tmp_path / "a" / "plan.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "version 1.0" in text and "effective January 1, 2026" in text
    for phrase in ("Peaks per scenario", "Hotline", "Chat", "Email", "88.8%", "7.8 sec"):
        assert phrase in text, phrase


# --- on the site ---------------------------------------------------------------------------------


def test_site_gets_a_staffing_page_with_charts_only_when_asked() -> None:
    from playbookgen.render.site import site_files

    playbook = load()
    without = site_files(playbook, pdf=True)
    assert "docs/staffing.md" not in without.files
    staffing = plan(playbook, FORECAST.read_text(encoding="utf-8"), "forecast.csv", scales=(1.0, 1.5))
    files = site_files(playbook, pdf=True, staffing=staffing).files
    page = files["docs/staffing.md"]
    assert "title: Staffing plan" in page
    assert "](staffing/hotline.svg)" in page and "](pdf/staffing-plan.pdf)" in page
    assert "Heads ×1.5" in page and "88.8%" in page
    assert files["docs/staffing/hotline.svg"] == chart_svg(
        staffing, staffing.channels[0], Wording.of(playbook.settings)
    )
    assert "staffing.md" in files["mkdocs.yml"]
    assert "](pdf/staffing-plan.pdf)" not in site_files(playbook, staffing=staffing).files["docs/staffing.md"]


def test_build_with_staffing_adds_the_page_and_a_bad_row_stops_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    args = ["build", str(SMALL), "--out", str(out), "--no-pdf", "--staffing", str(FORECAST)]
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "staffing" / "index.html").is_file() and (out / "staffing" / "hotline.svg").is_file()
    forecast = tmp_path / "forecast.csv"
    forecast.write_text(HEADER + "2026-12-24T09:00,hotline,lots,,\n", encoding="utf-8")
    failed = runner.invoke(main, [*args[:-1], str(forecast)], catch_exceptions=False)
    assert failed.exit_code == 1
    assert f"{forecast}:2:26: error forecast-row contacts is 'lots'" in failed.output
    assert (out / "staffing" / "index.html").is_file()
