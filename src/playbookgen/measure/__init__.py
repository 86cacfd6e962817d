"""``playbookgen measure``: SLA attainment recomputed from a helpdesk's ticket export with the
playbook's calendars (see :mod:`.tickets` for the columns, :mod:`.clock` for business time and
:mod:`.attainment` for the figures)."""

from __future__ import annotations

import csv
import json
import os
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from playbookgen.helpdesk import config
from playbookgen.measure.attainment import BREACH_COLUMNS, Report, breaches, figures, kpis, measure_tickets
from playbookgen.measure.columnar import available as columnar_available
from playbookgen.measure.columnar import read_tickets_columnar
from playbookgen.measure.tickets import read_tickets
from playbookgen.model import Playbook
from playbookgen.problems import Problem, has_errors


@dataclass(frozen=True)
class MeasureRequest:
    """A ticket export to measure and how to read it."""

    export: Path
    source: str = "generic"
    timezone: str | None = None
    """Time zone of times without an offset (default: the playbook's)."""
    as_of: datetime | None = None
    """When the export was taken (default: its latest time)."""
    columns: dict[str, str] = field(default_factory=dict)


def report(playbook: Playbook, text: str | Iterable[str] | None, request: MeasureRequest) -> Report:
    """The attainment report of an export's text on a checked playbook (``None``: read the
    request's file through DuckDB when it is installed and the file is plain, else the csv
    module)."""
    helpdesk = config(playbook)
    zone_name = request.timezone or str(playbook.settings.get("timezone") or "UTC")
    zone = zoneinfo.ZoneInfo(zone_name)
    tickets = None
    if text is None:
        tickets = read_tickets_columnar(
            request.export, playbook, helpdesk, source=request.source, zone=zone, overrides=request.columns
        )
        if tickets is None:
            return read_report(playbook, request, engine="python")
    else:
        tickets = read_tickets(
            text,
            str(request.export),
            playbook,
            helpdesk,
            source=request.source,
            zone=zone,
            overrides=request.columns,
        )
    if request.as_of is not None:
        as_of = request.as_of.replace(tzinfo=request.as_of.tzinfo or zone).timestamp()
    else:
        stamps = np.concatenate((tickets.created, tickets.first, tickets.resolved))
        stamps = stamps[~np.isnan(stamps)]
        as_of = float(stamps.max()) if len(stamps) else 0.0
    result = Report(
        request.source,
        request.export.name,
        zone_name,
        datetime.fromtimestamp(as_of, UTC).astimezone(zone).isoformat(timespec="minutes"),
        tickets.read,
        len(tickets),
        tickets.rejected,
        list(tickets.problems),
    )
    if not len(tickets):
        return result
    measured, problems = measure_tickets(playbook, helpdesk, tickets, as_of)
    result.problems += problems
    result.figures = figures(measured, zone)
    result.kpis = kpis(playbook, helpdesk, result.figures)
    result.breaches = breaches(measured, zone)
    return result


def write_report(result: Report, out: Path) -> list[Path]:
    """measure.json, figures.csv, kpis.csv and breaches.csv in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "measure.json"]
    written[0].write_text(json.dumps(result.as_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    for name, rows in (("figures", result.figures), ("kpis", result.kpis)):
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            if rows:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        written.append(path)
    path = out / "breaches.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(BREACH_COLUMNS)
        for line in result.breaches.csv_lines():
            handle.write(line + "\r\n")
    written.append(path)
    return written


ENGINES = ("auto", "duckdb", "python")


def read_report(playbook: Playbook, request: MeasureRequest, engine: str | None = None) -> Report:
    """The attainment report of the request's export file (UTF-8, else Windows-1252).

    ``engine`` (default: ``PLAYBOOKGEN_MEASURE_ENGINE``, else ``auto``): ``auto`` reads through
    DuckDB when it is installed and the file is plain, else the csv module; ``python`` always
    the csv module. Both give the same figures and problems."""
    engine = engine or os.environ.get("PLAYBOOKGEN_MEASURE_ENGINE") or "auto"
    if engine != "python" and columnar_available():
        return report(playbook, None, request)
    try:
        with request.export.open(encoding="utf-8-sig", newline="") as handle:
            return report(playbook, handle, request)
    except UnicodeDecodeError:
        # Not UTF-8: Excel's "CSV" on Windows writes Windows-1252.
        with request.export.open(encoding="cp1252", errors="replace", newline="") as handle:
            return report(playbook, handle, request)


@dataclass
class MeasureResult:
    problems: list[Problem]
    report: Report | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not has_errors(self.problems) and self.report is not None and not has_errors(self.report.problems)
        )


def measure(
    root: Path,
    request: MeasureRequest,
    out: Path,
    *,
    pages: bool = True,
    pdf: bool = True,
    month: str | None = None,
) -> MeasureResult:
    """Check the playbook at ``root``, measure the export against it and write the report:
    JSON and CSV, and (with ``pages``) index.html with charts and the monthly report.pdf."""
    from playbookgen.check import check

    checked = check(root)
    if not checked.ok:
        return MeasureResult(checked.problems)
    result = read_report(checked.playbook, request)
    files = write_report(result, out)
    if pages and result.figures:
        from playbookgen.render.performance import write_pages

        files += write_pages(checked.playbook, result, out, pdf=pdf, month=month)
    return MeasureResult([p for p in checked.problems if p.suppressed is None], result, files)
