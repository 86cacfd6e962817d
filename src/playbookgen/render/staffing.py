"""The staffing plan as files: ``plan.csv`` for tools, ``index.html`` with a static SVG chart per
channel, and ``plan.pdf`` for the outsourcing partner (the same HTML through WeasyPrint),
stamped with the playbook's version and effective date."""

from __future__ import annotations

import base64
import csv
import io
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from playbookgen.model import Playbook
from playbookgen.problems import PlaybookError
from playbookgen.render.print_html import Views, build_moment, print_environment, template_problem
from playbookgen.render.svg import FONT, INK, MUTED, STROKE, WIDE_FONT, escape
from playbookgen.staffing import ChannelSetup, StaffingPlan
from playbookgen.wording import Wording

CSV_COLUMNS = (
    "scenario",
    "interval_start",
    "interval_end",
    "channel",
    "method",
    "contacts",
    "aht_seconds",
    "concurrency",
    "traffic_erlangs",
    "agents_required",
    "service_level",
    "probability_of_waiting",
    "asa_seconds",
    "occupancy",
    "scheduled_heads",
    "occupancy_above_max",
)
STAFFING_PDF = "pdf/staffing-plan.pdf"
"""Where ``build --staffing`` puts the plan's PDF in the site (docs path)."""
CHART_WIDTH = 720
CHART_HEIGHT = 240
SERIES = ("#00695c", "#b35c00", "#1565c0", "#6a1b9a", "#c62828", "#455a64")
"""One colour per scenario, in the order they were asked for."""


def _decimal(value: float | None, digits: int) -> str:
    """A machine-readable number for the CSV (dot decimals, no grouping); empty when absent."""
    if value is None:
        return ""
    if math.isinf(value):
        return "inf"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(int(value))


def plan_csv(plan: StaffingPlan) -> str:
    """Every planned interval as one CSV row, ordered by scenario, channel and time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in plan.rows:
        writer.writerow(
            (
                _decimal(row.scenario, 2),
                row.start.isoformat(timespec="minutes"),
                row.end.isoformat(timespec="minutes"),
                row.channel,
                row.method,
                _decimal(row.contacts, 2),
                _decimal(row.aht, 1),
                row.concurrency,
                _decimal(row.traffic, 3),
                row.agents,
                _decimal(row.service_level, 4),
                _decimal(row.waiting_probability, 4),
                _decimal(row.asa_seconds, 1),
                _decimal(row.occupancy, 4),
                row.scheduled,
                "yes" if row.over_max else "no",
            )
        )
    return out.getvalue()


# --- chart ----------------------------------------------------------------------------------


def _nice_step(top: float) -> int:
    """A tick step of 1, 2 or 5 × 10ⁿ that gives about five gridlines up to ``top``."""
    raw = max(top / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def scenario_label(scale: float, words: Wording) -> str:
    """'Forecast ×1.3' (or 'Forecast' for the forecast as given)."""
    if scale == 1.0:
        return words._("Forecast")
    return words._("Forecast ×%(scale)s", scale=words.number(scale))


def chart_svg(plan: StaffingPlan, setup: ChannelSetup, words: Wording) -> str:
    """Scheduled heads per interval of one channel, one step line per scenario: static SVG."""
    series = [(scale, plan.of(scale, setup.id)) for scale in plan.scales]
    starts = sorted({r.start for _, rows in series for r in rows})
    index = {start: i for i, start in enumerate(starts)}
    top = max([r.scheduled for _, rows in series for r in rows] + [1])
    step = _nice_step(top)
    ceiling = step * math.ceil(top / step)
    left, right, upper, lower = 44.0, 12.0, 30.0, 34.0
    width, height = CHART_WIDTH - left - right, CHART_HEIGHT - upper - lower
    slot = width / max(len(starts), 1)

    def y(value: float) -> float:
        return upper + height - height * value / ceiling

    title = words._("Scheduled heads per interval: %(channel)s", channel=setup.name)
    font = WIDE_FONT if words.needs_wide_font else FONT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'width="{CHART_WIDTH}" height="{CHART_HEIGHT}" font-family="{font}" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, ceiling + 1, step):
        parts.append(
            f'<line x1="{left:g}" x2="{left + width:g}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#cfd8dc" stroke-width="{1 if tick else 1.5}"/>'
        )
        parts.append(
            f'<text x="{left - 6:g}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(words.number(tick))}</text>'
        )
    previous_day = None
    for i, start in enumerate(starts):
        if start.minute or (i and start.hour % 2):
            continue  # a label every two hours keeps a full day readable
        x = left + i * slot
        label = words.time(start.strftime("%H:%M"))
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{upper + height:g}" y2="{upper + height + 4:g}" '
            f'stroke="{STROKE}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{upper + height + 16:g}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
        if start.date() != previous_day:
            previous_day = start.date()
            parts.append(
                f'<text x="{x:.1f}" y="{upper + height + 30:g}" font-size="11" fill="{INK}">'
                f"{escape(words.date(start.date()))}</text>"
            )
    for number, (scale, rows) in enumerate(series):
        colour = SERIES[number % len(SERIES)]
        points: list[str] = []
        for row in sorted(rows, key=lambda r: r.start):
            x = left + index[row.start] * slot
            points.append(f"{x:.1f},{y(row.scheduled):.1f} {x + slot:.1f},{y(row.scheduled):.1f}")
        if points:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        legend_x = left + number * 150
        parts.append(
            f'<line x1="{legend_x:g}" x2="{legend_x + 18:g}" y1="12" y2="12" stroke="{colour}" '
            'stroke-width="3"/>'
        )
        parts.append(
            f'<text x="{legend_x + 24:g}" y="16" font-size="12" fill="{INK}">'
            f"{escape(scenario_label(scale, words))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --- the page and the PDF -------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One interval of a channel as the plan's table shows it."""

    time: str
    contacts: str
    aht: str
    agents: str
    service_level: str
    waiting: str
    asa: str
    occupancy: str
    scheduled: str
    others: tuple[str, ...]
    warning: bool
    day: str


@dataclass(frozen=True)
class ChannelSection:
    """One channel of the plan as the page and the PDF show it."""

    id: str
    name: str
    method: str
    target: str
    kpi: str
    chart: str
    chart_alt: str
    rows: tuple[TableRow, ...]
    carried: str


@dataclass(frozen=True)
class SummaryRow:
    scenario: str
    channel: str
    peak: str
    agents: str
    scheduled: str
    head_hours: str
    contacts: str
    warnings: str


def _svg_uri(drawing: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode("utf-8")).decode("ascii")


def _when(moment: datetime, words: Wording) -> str:
    return words.time(moment.strftime("%H:%M"))


def _method(setup: ChannelSetup, words: Wording) -> str:
    if setup.method == "chat":
        return words._(
            "Live chat, %(concurrency)s chats per agent: Erlang C on conversation slots, agents = slots ÷ "
            "concurrency, rounded up.",
            concurrency=words.number(setup.concurrency),
        )
    if setup.method == "backlog":
        assert setup.respond_within is not None
        return words._(
            "Backlog: each interval's work (contacts × handle time) is spread over the open intervals "
            "within %(within)s of its arrival and done at the maximum occupancy.",
            within=words.duration(f"PT{int(setup.respond_within)}S"),
        )
    return words._("Calls answered live: Erlang C.")


def _target(setup: ChannelSetup, words: Wording) -> str:
    if setup.target is None or setup.within is None:
        return words._(
            "Answer within %(within)s", within=words.duration(f"PT{int(setup.respond_within or 0)}S")
        )
    return words._(
        "%(percent)s answered within %(seconds)s",
        percent=words.percent(round(setup.target * 100, 2)),
        seconds=words.short_seconds(setup.within),
    )


def _cell(value: float | None, words: Wording, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "percent":
        return words.percent(round(value * 100, 1))
    if kind == "seconds":
        return "∞" if math.isinf(value) else words.short_seconds(value)
    return words.number(round(value, 1))


def channel_section(plan: StaffingPlan, setup: ChannelSetup, words: Wording) -> ChannelSection:
    """One channel of the plan: its method, target, chart and table (base scenario in full)."""
    base = plan.of(plan.base, setup.id)
    others = [s for s in plan.scales if s != plan.base]
    scheduled = {(s, r.start): r.scheduled for s in others for r in plan.of(s, setup.id)}
    rows = []
    for row in base:
        rows.append(
            TableRow(
                f"{_when(row.start, words)}–{_when(row.end, words)}",
                words.number(round(row.contacts, 1)),
                words.short_seconds(row.aht),
                words.number(row.agents),
                _cell(row.service_level, words, "percent"),
                _cell(row.waiting_probability, words, "percent"),
                _cell(row.asa_seconds, words, "seconds"),
                _cell(row.occupancy, words, "percent"),
                words.number(row.scheduled),
                tuple(words.number(scheduled.get((s, row.start), 0)) for s in others),
                row.over_max,
                words.date(row.start.date()),
            )
        )
    carried = plan.carried.get((plan.base, setup.id), 0.0)
    peak = max(base, key=lambda r: r.scheduled, default=None)
    alt = (
        words._(
            "Scheduled heads per interval for %(channel)s; peak %(heads)s heads at %(time)s.",
            channel=setup.name,
            heads=words.number(peak.scheduled),
            time=_when(peak.start, words),
        )
        if peak is not None
        else setup.name
    )
    return ChannelSection(
        setup.id,
        setup.name,
        _method(setup, words),
        _target(setup, words),
        setup.kpi.name if setup.kpi is not None else "",
        _svg_uri(chart_svg(plan, setup, words)),
        alt,
        tuple(rows),
        words.number(round(carried / 3600, 1)) if carried else "",
    )


def summary(plan: StaffingPlan, words: Wording) -> list[SummaryRow]:
    names = {c.id: c.name for c in plan.channels}
    return [
        SummaryRow(
            scenario_label(peak.scenario, words),
            names[peak.channel],
            f"{words.date(peak.start.date())} {_when(peak.start, words)}",
            words.number(peak.agents),
            words.number(peak.scheduled),
            words.number(round(peak.head_hours, 1)),
            words.number(round(peak.contacts)),
            words.number(peak.warnings),
        )
        for peak in plan.peaks()
    ]


@dataclass(frozen=True)
class StaffingView:
    """Everything the staffing page and the plan PDF show, worded once."""

    forecast: str
    summary: tuple[SummaryRow, ...]
    channels: tuple[ChannelSection, ...]
    others: list[str]
    """Column headings of the other scenarios' heads ('Heads ×1.5')."""
    interval: str
    shrinkage: str
    max_occupancy: str
    closed: str
    rejected: str
    pdf: str | None = None
    """Docs path of the plan's PDF on the site, when it is built."""


def staffing_view(plan: StaffingPlan, words: Wording, pdf: str | None = None) -> StaffingView:
    return StaffingView(
        plan.forecast,
        tuple(summary(plan, words)),
        tuple(channel_section(plan, setup, words) for setup in plan.channels),
        [
            words._("Heads %(scenario)s", scenario=words._("×%(scale)s", scale=words.number(s)))
            for s in plan.scales
            if s != plan.base
        ],
        words.duration(f"PT{plan.interval}M"),
        words.percent(round(plan.shrinkage * 100, 2)),
        words.percent(round(plan.max_occupancy * 100, 2)),
        words.number(plan.closed),
        words.number(plan.rejected),
        pdf,
    )


def charts(plan: StaffingPlan, words: Wording) -> dict[str, str]:
    """The chart of every channel as SVG, by channel id (the site shows them as files)."""
    return {setup.id: chart_svg(plan, setup, words) for setup in plan.channels}


def plan_html(playbook: Playbook, plan: StaffingPlan) -> str:
    """The plan as one HTML document (the page, and the PDF's source)."""
    views = Views(playbook, build_moment(playbook))
    env = print_environment(playbook, views)
    view = staffing_view(plan, views.words)
    try:
        return env.get_template("staffing.html").render(title=views.words._("Staffing plan"), s=view)
    except jinja2.TemplateError as exc:
        raise PlaybookError([template_problem(playbook, "staffing.html", exc)]) from exc


def write_plan_pdf(playbook: Playbook, plan: StaffingPlan, target: Path, html: str | None = None) -> Path:
    """Render the plan's PDF into ``target``: byte for byte the same for the same plan."""
    from playbookgen.render.pdf import write_html_pdf

    return write_html_pdf(html if html is not None else plan_html(playbook, plan), target)


def write_plan(playbook: Playbook, plan: StaffingPlan, out: Path, *, pdf: bool = True) -> list[Path]:
    """Write ``plan.csv``, ``index.html`` and (with ``pdf``) ``plan.pdf`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    html = plan_html(playbook, plan)
    written = [out / "plan.csv", out / "index.html"]
    written[0].write_text(plan_csv(plan), encoding="utf-8", newline="\n")
    written[1].write_text(html, encoding="utf-8", newline="\n")
    if pdf:
        written.append(write_plan_pdf(playbook, plan, out / "plan.pdf", html))
    return written
