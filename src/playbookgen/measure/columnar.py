"""Reading a ticket export through DuckDB (the optional ``measure`` extra) when it is plain.

DuckDB reads and splits the CSV on all cores and parses the times and minutes that have the
one plain shape (``2026-11-27 08:30:00``, ``343``); every other non-empty value is left to the
same Python parsing as the csv path, so the figures and the problems are the csv path's.
The file is read this way only when each record is one line (no blank line, no quoted line
break: then a record's line number is its index + 2) and every record has the header's
width; otherwise, or when DuckDB is missing or fails (not UTF-8, a stray quote), ``None``
sends the caller to the csv module, which reports such rows with their lines.
"""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from playbookgen.helpdesk import HelpdeskConfig
from playbookgen.measure.clock import Seconds
from playbookgen.measure.tickets import REQUIRED, Coded, Parsed, Tickets, _columns, assemble, local_to_utc
from playbookgen.model import Playbook

TIMES = ("created", "first", "resolved", "closed")
PLAIN_TIME = r"\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
PLAIN_MINUTES = r"\d{1,15}"


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _one_line_records(path: Path) -> int | None:
    """Lines of the file when none is blank (a record then spans one line), else ``None``."""
    lines, tail, last = 0, b"", b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            window = tail + chunk
            if b"\n\n" in window or b"\n\r\n" in window:
                return None
            lines += chunk.count(b"\n")
            tail, last = window[-2:], chunk
    if not last:
        return 0
    return lines + (0 if last.endswith(b"\n") else 1)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_tickets_columnar(
    path: Path,
    playbook: Playbook,
    helpdesk: HelpdeskConfig,
    *,
    source: str,
    zone: zoneinfo.ZoneInfo,
    overrides: dict[str, str] | None = None,
) -> Tickets | None:
    """The export's measurable tickets read through DuckDB, or ``None`` when the csv path must."""
    try:
        import duckdb
    except ImportError:
        return None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader([handle.readline()]), None)
    except (UnicodeDecodeError, csv.Error):
        return None
    if not header:
        return None
    columns = _columns(header, source, overrides or {})
    if any(f not in columns for f in REQUIRED):
        return None
    lines_in_file = _one_line_records(path)
    if lines_in_file is None or lines_in_file < 2:
        return None
    types = ", ".join(f"{_quote(f'c{i}')}: 'VARCHAR'" for i in range(len(header)))
    select = ", ".join(f"c{i} AS {field}" for field, i in columns.items())
    try:
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"CREATE TABLE t AS SELECT {select} FROM read_csv({_quote(str(path))}, header = false, "
            f"skip = 1, auto_detect = false, columns = {{{types}}}, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, null_padding = false, encoding = 'utf-8')"
        )
        count = int(con.execute("SELECT count(*) FROM t").fetchone()[0])  # type: ignore[index]
        if count != lines_in_file - 1:
            return None
        return _assemble(con, path, header, columns, count, playbook, helpdesk, source, zone)
    except duckdb.Error:
        return None


def _assemble(
    con: Any,
    path: Path,
    header: list[str],
    columns: dict[str, int],
    count: int,
    playbook: Playbook,
    helpdesk: HelpdeskConfig,
    source: str,
    zone: zoneinfo.ZoneInfo,
) -> Tickets:
    parsed: Parsed = {}
    for field in columns:
        if field in TIMES or field == "first_minutes":
            shape = PLAIN_MINUTES if field == "first_minutes" else PLAIN_TIME
            value = (
                f"CAST({field} AS DOUBLE)"
                if field == "first_minutes"
                else f"epoch(try_strptime({field}, '%Y-%m-%d %H:%M:%S'))"
            )
            # One pass: the value of each plain row, and which non-empty rows are not plain.
            got = con.execute(
                f"SELECT coalesce(CASE WHEN plain THEN v END, 'NaN'::DOUBLE) AS v, "
                f"({field} IS NOT NULL AND {field} <> '' AND (NOT plain OR v IS NULL)) AS odd "
                f"FROM (SELECT {field}, plain, CASE WHEN plain THEN {value} END AS v FROM "
                f"(SELECT {field}, regexp_full_match({field}, '{shape}') AS plain FROM t))"
            ).fetchnumpy()
            values: Seconds = np.ascontiguousarray(got["v"], dtype=np.float64)
            left: dict[Any, Any] = {}
            if np.any(got["odd"]):
                left = dict(
                    con.execute(
                        f"SELECT rowid, {field} FROM (SELECT rowid, {field}, "
                        f"regexp_full_match({field}, '{shape}') AS plain, {value} AS v FROM t) "
                        f"WHERE {field} IS NOT NULL AND {field} <> '' AND (NOT plain OR v IS NULL)"
                    ).fetchall()
                )
            if field != "first_minutes":
                known = ~np.isnan(values)
                values[known] = local_to_utc(values[known], zone)
            parsed[field] = (values, {int(k): str(v) for k, v in left.items()})
    data: dict[str, Sequence[str] | Coded] = {}
    for field in columns:
        if field in parsed:
            continue
        if field == "id":
            got = con.execute("SELECT coalesce(id, '') AS v FROM t").fetchnumpy()
            data[field] = got["v"].tolist()
            continue
        con.execute(f"CREATE TYPE e_{field} AS ENUM (SELECT DISTINCT coalesce({field}, '') FROM t)")
        (names,) = con.execute(f"SELECT enum_range(NULL::e_{field})").fetchone()
        codes = con.execute(f"SELECT enum_code(coalesce({field}, '')::e_{field}) AS v FROM t").fetchnumpy()[
            "v"
        ]
        data[field] = Coded(list(names), np.asarray(codes, dtype=np.int64))
    con.close()
    tickets = Tickets()
    tickets.read = count
    lines = list(range(2, count + 2))
    return assemble(
        str(path),
        tickets,
        data,
        lines,
        header,
        columns,
        playbook,
        helpdesk,
        source=source,
        zone=zone,
        parsed=parsed,
    )
