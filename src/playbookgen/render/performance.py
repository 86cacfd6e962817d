"""The attainment report as people read it: ``index.html`` with static SVG charts and a
one-page monthly ``report.pdf`` (the same HTML through WeasyPrint), and the site's
"Service performance" page. Every word goes through the wording layer."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from playbookgen.measure.attainment import Report
from playbookgen.model import Playbook
from playbookgen.problems import PlaybookError
from playbookgen.render.print_html import Views, build_moment, print_environment, template_problem
from playbookgen.render.svg import FONT, INK, MUTED, escape
from playbookgen.views.typed import PlaybookView
from playbookgen.wording import N_, Wording

CHART_WIDTH = 720
CHART_HEIGHT = 220
FIRST = "#00695c"
RESOLUTION = "#1565c0"
BACKLOG = "#b35c00"
DIMENSION_TITLES = {
    "category": N_("By category"),
    "priority": N_("By priority"),
    "channel": N_("By channel"),
    "tier": N_("By customer tier"),
    "team": N_("By team"),
}
PERFORMANCE_PDF = "pdf/service-performance.pdf"
"""Where ``build --tickets`` puts the monthly report in the site (docs path)."""


@dataclass(frozen=True)
class KpiLine:
    name: str
    value: str
    target: str
    met: bool | None
    state: str


@dataclass(frozen=True)
class FigureLine:
    """One row of a figures table, worded."""

    name: str
    tickets: str
    first: str
    resolution: str
    first_median: str
    first_p90: str
    resolution_median: str
    breached: str
    backlog: str


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    rows: tuple[FigureLine, ...]


@dataclass(frozen=True)
class PerformanceView:
    """Everything the performance page and the monthly PDF show, worded once."""

    export: str
    source: str
    as_of: str
    month: str
    month_label: str
    read: str
    measured: str
    rejected: str
    breaches: str
    overall: FigureLine | None
    kpis: tuple[KpiLine, ...]
    weekly_chart: str
    """SVG of weekly first-response and resolution attainment."""
    backlog_chart: str
    """SVG of tickets per week and backlog at week end."""
    tables: tuple[Table, ...]
    pdf: str | None = None

    @property
    def weekly_uri(self) -> str:
        return _svg_uri(self.weekly_chart)

    @property
    def backlog_uri(self) -> str:
        return _svg_uri(self.backlog_chart)


def _svg_uri(drawing: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode("utf-8")).decode("ascii")


def _minutes(value: float | None, words: Wording) -> str:
    if value is None:
        return "—"
    if round(value) < 60:
        return words.short_duration(f"PT{round(value)}M")
    return words._("%(hours)s h", hours=words.number(round(value / 60, 1)))


def _percent(value: float | None, words: Wording) -> str:
    return "—" if value is None else words.percent(value)


def _line(name: str, row: dict[str, Any], words: Wording) -> FigureLine:
    return FigureLine(
        name,
        words.number(row["tickets"]),
        _percent(row["first_response_attainment"], words),
        _percent(row["resolution_attainment"], words),
        _minutes(row["first_response_median_minutes"], words),
        _minutes(row["first_response_p90_minutes"], words),
        _minutes(row["resolution_median_minutes"], words),
        words.number(row["first_response_breached"] + row["resolution_breached"]),
        words.number(row["backlog_at_end"]),
    )


def _names(view: PlaybookView) -> dict[str, dict[str, str]]:
    """How a figure's value reads, per dimension: category and channel names, priority labels."""
    words = view.words
    names: dict[str, dict[str, str]] = {
        "category": {c.id: c.name for c in view.categories()},
        "priority": {p.id: p.label for p in view.priorities()},
        "channel": {c.id: c.name for c in view.refs("channel", [c.id for c in view.playbook.all("channel")])},
    }
    names["category"][""] = words._("(no category)")
    names["tier"] = {"": words._("(no tier)")}
    names["team"] = {"": words._("(no team)")}
    names["channel"][""] = words._("(no channel)")
    return names


def _bars(
    weeks: list[dict[str, Any]], series: list[tuple[str, str, str]], words: Wording, title: str, percent: bool
) -> str:
    """Grouped bars per week: ``series`` are (column, colour, legend)."""
    values = [[w[c] for c, _, _ in series] for w in weeks]
    top = 100.0 if percent else max([v or 0 for vs in values for v in vs] + [1])
    step = 20 if percent else _nice_step(top)
    ceiling = 100 if percent else step * math.ceil(top / step)
    left, right, upper, lower = 48.0, 12.0, 30.0, 28.0
    width, height = CHART_WIDTH - left - right, CHART_HEIGHT - upper - lower
    slot = width / max(len(weeks), 1)
    bar = min(28.0, slot * 0.8 / max(len(series), 1))

    def y(value: float) -> float:
        return upper + height - height * value / ceiling

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'width="{CHART_WIDTH}" height="{CHART_HEIGHT}" font-family="{FONT}" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, int(ceiling) + 1, int(step)):
        label = words.percent(tick) if percent else words.number(tick)
        parts.append(
            f'<line x1="{left:g}" x2="{left + width:g}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#cfd8dc" stroke-width="{1 if tick else 1.5}"/>'
        )
        parts.append(
            f'<text x="{left - 6:g}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    for i, week in enumerate(weeks):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for j, (column, colour, _) in enumerate(series):
            value = week[column]
            if value is None:
                continue
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{y(value):.1f}" width="{bar - 2:.1f}" '
                f'height="{upper + height - y(value):.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{left + i * slot + slot / 2:.1f}" y="{upper + height + 16:g}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{escape(week["label"][5:])}</text>'
        )
    for j, (_, colour, legend) in enumerate(series):
        x = left + j * 220
        parts.append(f'<rect x="{x:g}" y="6" width="14" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20:g}" y="15" font-size="12" fill="{INK}">{escape(legend)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _nice_step(top: float) -> int:
    raw = max(top / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def latest_month(report: Report) -> str:
    months = sorted({f["label"] for f in report.figures if f["period"] == "month"})
    return months[-1] if months else ""


def performance_view(
    playbook: Playbook, report: Report, words: Wording, month: str | None = None, pdf: str | None = None
) -> PerformanceView:
    """The report worded for one month (default: the export's latest)."""
    month = month or latest_month(report)
    in_month = [f for f in report.figures if f["period"] == "month" and f["label"] == month]
    overall_row = next((f for f in in_month if f["dimension"] == "all"), None)
    view = PlaybookView(playbook, words)
    names = _names(view)
    tables = []
    for dimension, title in DIMENSION_TITLES.items():
        rows = sorted((f for f in in_month if f["dimension"] == dimension), key=lambda f: -f["tickets"])
        if not rows or all(r["value"] == "" for r in rows):
            continue
        lines = tuple(_line(names.get(dimension, {}).get(r["value"], r["value"]), r, words) for r in rows)
        tables.append(Table(dimension, words._(title), lines))
    kpis = []
    for kpi in report.kpis:
        item = playbook.get("kpi", kpi["kpi"])
        if kpi["period"] != "month" or kpi["label"] != month or item is None:
            continue
        value = "—" if kpi["value"] is None else words.measure(kpi["value"], kpi["unit"])
        state = words._("met") if kpi["met"] else words._("not met") if kpi["met"] is False else "—"
        kpis.append(KpiLine(kpi["name"], value, view.kpi(item).target, kpi["met"], state))
    weeks = sorted(
        (f for f in report.figures if f["period"] == "week" and f["dimension"] == "all"),
        key=lambda f: f["label"],
    )
    weekly = _bars(
        weeks,
        [
            ("first_response_attainment", FIRST, words._("First response within target")),
            ("resolution_attainment", RESOLUTION, words._("Resolved within target")),
        ],
        words,
        words._("SLA attainment per week"),
        percent=True,
    )
    backlog = _bars(
        weeks,
        [
            ("tickets", FIRST, words._("Tickets created")),
            ("backlog_at_end", BACKLOG, words._("Open at the end of the week")),
        ],
        words,
        words._("Tickets and backlog per week"),
        percent=False,
    )
    year, _, number = month.partition("-")
    month_label = words.month(date(int(year), int(number), 1)) if year and number else month
    return PerformanceView(
        report.export,
        report.source,
        report.as_of.replace("T", " "),
        month,
        month_label,
        words.number(report.read),
        words.number(report.measured),
        words.number(report.rejected),
        words.number(len(report.breaches)),
        _line(words._("All tickets"), overall_row, words) if overall_row else None,
        tuple(kpis),
        weekly,
        backlog,
        tuple(tables),
        pdf,
    )


def report_html(playbook: Playbook, report: Report, month: str | None = None) -> str:
    """The monthly report as one HTML document (the page, and the PDF's source)."""
    views = Views(playbook, build_moment(playbook))
    env = print_environment(playbook, views)
    view = performance_view(playbook, report, views.words, month)
    try:
        return env.get_template("performance.html").render(title=views.words._("Service performance"), s=view)
    except jinja2.TemplateError as exc:
        raise PlaybookError([template_problem(playbook, "performance.html", exc)]) from exc


def write_report_pdf(playbook: Playbook, report: Report, target: Path, html: str | None = None) -> Path:
    from playbookgen.render.pdf import write_html_pdf

    return write_html_pdf(html if html is not None else report_html(playbook, report), target)


def write_pages(
    playbook: Playbook, report: Report, out: Path, *, pdf: bool = True, month: str | None = None
) -> list[Path]:
    """``index.html`` (and with ``pdf`` the one-page ``report.pdf``) of the month into ``out``."""
    html = report_html(playbook, report, month)
    index = out / "index.html"
    index.write_text(html, encoding="utf-8", newline="\n")
    written = [index]
    if pdf:
        written.append(write_report_pdf(playbook, report, out / "report.pdf", html))
    return written
