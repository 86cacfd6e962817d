"""Reading a helpdesk's ticket export: Zendesk, Freshdesk or a generic CSV, into columns.

Column names per source (matched ignoring case; ``--column FIELD=HEADER`` overrides one):

========== ============================== ========================== ======================
field      zendesk                        freshdesk                  generic
========== ============================== ========================== ======================
id         Id                             Ticket ID                  id
created    Created at                     Created time               created_at
first      First reply time in minutes    Initial response time      first_response_at
           (minutes after Created at)
resolved   Solved at                      Resolved time, else        resolved_at
                                          Closed time
priority   Priority                       Priority                   priority
channel    Via                            Source                     channel
category   Tags (a category id)           Type (a category id or     category
                                          name), else Tags
tier       Tags (tier_… )                 Tags (tier_…)              tier
team       Group                          Group                      team
========== ============================== ========================== ======================

Times without an offset are read in ``--timezone`` (default: the playbook's time zone); a time
with an offset (``+01:00``, ``Z``) is read as written. A row that cannot be measured is
reported with its line and left out of the figures — never dropped silently.
"""

from __future__ import annotations

import csv
import operator
import warnings
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from playbookgen.helpdesk import HelpdeskConfig
from playbookgen.measure.clock import Seconds
from playbookgen.model import Playbook
from playbookgen.problems import Problem

SOURCES = ("zendesk", "freshdesk", "generic")
FIELDS = (
    "id",
    "created",
    "first",
    "first_minutes",
    "resolved",
    "closed",
    "priority",
    "channel",
    "type",
    "category",
    "tier",
    "team",
    "tags",
)
COLUMNS: dict[str, dict[str, str]] = {
    "zendesk": {
        "id": "Id",
        "created": "Created at",
        "first_minutes": "First reply time in minutes",
        "resolved": "Solved at",
        "priority": "Priority",
        "channel": "Via",
        "team": "Group",
        "tags": "Tags",
    },
    "freshdesk": {
        "id": "Ticket ID",
        "created": "Created time",
        "first": "Initial response time",
        "resolved": "Resolved time",
        "closed": "Closed time",
        "priority": "Priority",
        "channel": "Source",
        "type": "Type",
        "team": "Group",
        "tags": "Tags",
    },
    "generic": {
        "id": "id",
        "created": "created_at",
        "first": "first_response_at",
        "resolved": "resolved_at",
        "priority": "priority",
        "channel": "channel",
        "category": "category",
        "tier": "tier",
        "team": "team",
        "tags": "tags",
    },
}
REQUIRED = ("id", "created", "priority")


@dataclass
class Tickets:
    """The measurable tickets of an export, one entry per ticket in every column."""

    lines: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    created: Seconds = field(default_factory=lambda: np.zeros(0))
    first: Seconds = field(default_factory=lambda: np.zeros(0))
    resolved: Seconds = field(default_factory=lambda: np.zeros(0))
    priority: Coded = field(default_factory=lambda: Coded([], np.zeros(0, dtype=np.int64)))
    """Per ticket, as a code into its distinct values (as are category, channel, tier, team)."""
    category: Coded = field(default_factory=lambda: Coded([], np.zeros(0, dtype=np.int64)))
    channel: Coded = field(default_factory=lambda: Coded([], np.zeros(0, dtype=np.int64)))
    tier: Coded = field(default_factory=lambda: Coded([], np.zeros(0, dtype=np.int64)))
    team: Coded = field(default_factory=lambda: Coded([], np.zeros(0, dtype=np.int64)))
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    """Data rows in the export, measurable or not."""
    rejected: int = 0

    def __len__(self) -> int:
        return len(self.ids)


def _has_offset(value: str) -> bool:
    tail = value[16:]
    return bool(tail) and (tail.endswith("Z") or "+" in tail or "-" in tail)


def parse_instants(values: Sequence[str], zone: zoneinfo.ZoneInfo) -> tuple[Seconds, list[int]]:
    """UTC epoch seconds of each value (NaN when empty), and the indexes of values that are not
    a date and time. Values without an offset are local times of ``zone``."""
    bad: list[int] = []
    result = np.full(len(values), np.nan)
    plain = list(map(str.strip, values))
    # 'YYYY-MM-DD HH:MM:SS' has 19 characters: only longer values can carry an offset.
    longest = max(map(len, plain), default=0)
    offsets = [i for i, v in enumerate(plain) if len(v) > 16 and _has_offset(v)] if longest > 19 else []
    for i in offsets:
        try:
            result[i] = datetime.fromisoformat(plain[i]).timestamp()
        except ValueError:
            bad.append(i)
        plain[i] = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            local = np.array(plain, dtype="datetime64[s]")
    except ValueError:
        local = np.full(len(plain), np.datetime64("NaT"), dtype="datetime64[s]")
        for i, v in enumerate(plain):
            if not v:
                continue
            try:
                local[i] = np.datetime64(datetime.fromisoformat(v).replace(tzinfo=None), "s")
            except ValueError:
                bad.append(i)
    naive = local.astype(np.float64)
    naive[np.isnat(local)] = np.nan
    mask = ~np.isnan(naive)
    result[mask] = local_to_utc(naive[mask], zone)
    return result, sorted(bad)


def dense_unique(
    values: npt.NDArray[np.int64], limit: int = 1 << 22
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.unique(values, return_inverse=True)`` of integers, without sorting when they lie
    within ``limit`` of each other (hours of an export, days, combinations of codes)."""
    if not len(values) or int(values.max()) - int(values.min()) >= limit:
        unique, inverse = np.unique(values, return_inverse=True)
        return unique.astype(np.int64), inverse.reshape(-1).astype(np.int64)
    low = int(values.min())
    offset = values - low
    present = np.zeros(int(offset.max()) + 1, dtype=bool)
    present[offset] = True
    rank = np.cumsum(present) - 1
    return (np.flatnonzero(present) + low).astype(np.int64), rank[offset].astype(np.int64)


def local_to_utc(naive: Seconds, zone: zoneinfo.ZoneInfo) -> Seconds:
    """Epoch seconds of local wall-clock times of ``zone`` given as if they were UTC (no NaN)."""
    if not len(naive):
        return naive
    hours = np.floor(naive / 3600).astype(np.int64)
    unique, inverse = dense_unique(hours)
    epoch = datetime(1970, 1, 1)
    offset = np.array(
        [
            (epoch + timedelta(hours=int(h))).replace(tzinfo=zone).utcoffset().total_seconds()  # type: ignore[union-attr]
            for h in unique
        ]
    )
    result: Seconds = naive - offset[inverse]
    return result


def _columns(header: list[str], source: str, overrides: dict[str, str]) -> dict[str, int]:
    names = {h.strip().lower(): i for i, h in enumerate(header)}
    wanted = {**COLUMNS[source], **overrides}
    return {f: names[c.strip().lower()] for f, c in wanted.items() if c.strip().lower() in names}


def read_tickets(
    text: str | Iterable[str],
    path: str,
    playbook: Playbook,
    helpdesk: HelpdeskConfig,
    *,
    source: str,
    zone: zoneinfo.ZoneInfo,
    overrides: dict[str, str] | None = None,
) -> Tickets:
    """The measurable tickets of an export's text; every other row is a problem with its line."""
    tickets = Tickets()

    def reject(line: int, message: str, rule: str = "ticket-row") -> None:
        tickets.problems.append(Problem(path, line, 1, rule, "error", message))

    # A file opened with newline="" streams; a string is split into lines (keeping their ends).
    records = csv.reader(text.splitlines(keepends=True) if isinstance(text, str) else text)
    try:
        header = next(records, None)
    except csv.Error as exc:
        reject(1, f"the header line cannot be read as CSV ({exc})", "measure-setup")
        return tickets
    if header is None:
        reject(1, "the export is empty; its first line names the columns", "measure-setup")
        return tickets
    columns = _columns(header, source, overrides or {})
    missing = [COLUMNS[source].get(f, f) for f in REQUIRED if f not in columns]
    if missing:
        reject(
            1,
            f"the {source} export has no {', '.join(repr(m) for m in missing)} column; export the "
            f'standard columns, or name yours with --column (e.g. --column created="Opened")',
            "measure-setup",
        )
        return tickets
    fields = list(columns)
    index = [columns[f] for f in fields]
    width = max(index) + 1
    # Three required fields at least: itemgetter always returns a tuple.
    getter: Callable[[list[str]], tuple[str, ...]] = operator.itemgetter(*index)
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    # Fast path: every record one line and wide enough; then line numbers follow the rows.
    try:
        rows = [getter(record) for record in records]
        fast = records.line_num == len(rows) + 1
    except (IndexError, csv.Error):
        fast = False
    if fast:
        lines = list(range(2, len(rows) + 2))
    else:
        rows = []
        if not isinstance(text, str):
            text.seek(0)  # type: ignore[attr-defined]
        records = csv.reader(text.splitlines(keepends=True) if isinstance(text, str) else text)
        next(records)
        _slow(records, getter, width, len(header), rows, lines, tickets, reject)
    tickets.read += len(rows)
    data: dict[str, Sequence[str]] = dict(zip(fields, zip(*rows, strict=True), strict=True)) if rows else {}
    del rows
    return assemble(path, tickets, data, lines, header, columns, playbook, helpdesk, source=source, zone=zone)


Parsed = dict[str, tuple[Seconds, dict[int, str]]]
"""Columns already read as numbers by a columnar reader: per field, the values (epoch seconds of
local times, or minutes; NaN when empty) and the raw text of the rows it left to Python."""


def assemble(
    path: str,
    tickets: Tickets,
    data: Mapping[str, Sequence[str] | Coded],
    lines: list[int],
    header: list[str],
    columns: dict[str, int],
    playbook: Playbook,
    helpdesk: HelpdeskConfig,
    *,
    source: str,
    zone: zoneinfo.ZoneInfo,
    parsed: Parsed | None = None,
) -> Tickets:
    """Check the export's columns row by row (a problem per row that cannot be measured) and
    fill ``tickets`` with the rest. ``parsed`` holds the times (and first-reply minutes) a
    columnar reader already parsed; ``data`` then omits them."""
    count = len(lines)
    empty: Sequence[str] = [""] * count
    parsed = parsed or {}
    bad: dict[int, str] = {}

    def instants(name: str) -> Seconds:
        texts: Sequence[str]
        if name in parsed:
            values, left = parsed[name]
            rows = sorted(left)
            texts = [left[r] for r in rows]
            found, wrong = parse_instants(texts, zone)
            values[rows] = found
        elif name in data:
            rows, texts = [], plain(data, name, empty)
            values, wrong = parse_instants(texts, zone)
        else:
            return np.full(count, np.nan)
        header_name = header[columns[name]].strip()
        for i in wrong:
            bad.setdefault(
                rows[i] if rows else i,
                f"{header_name} '{texts[i]}' is not a date and time (write 2026-11-27 08:30:00)",
            )
        return values

    created = instants("created")
    for row in np.flatnonzero(np.isnan(created)).tolist():
        bad.setdefault(row, "the ticket has no creation time")
    first_at = instants("first")
    if "first_minutes" in parsed and "first" not in data and "first" not in parsed:
        minutes, left = parsed["first_minutes"]
        for row, v in sorted(left.items()):
            if v.strip():
                try:
                    minutes[row] = float(v)
                except ValueError:
                    bad.setdefault(row, f"first reply time '{v}' is not a number of minutes")
        first_at = created + minutes * 60
    elif "first_minutes" in data and "first" not in data and "first" not in parsed:
        minutes = np.full(count, np.nan)
        for row, v in enumerate(plain(data, "first_minutes", empty)):
            if v.strip():
                try:
                    minutes[row] = float(v)
                except ValueError:
                    bad.setdefault(row, f"first reply time '{v}' is not a number of minutes")
        first_at = created + minutes * 60
    resolved = instants("resolved")
    if "closed" in data or "closed" in parsed:
        closed = instants("closed")
        resolved = np.where(np.isnan(resolved), closed, resolved)
    for name, values in (("first reply", first_at), ("resolution", resolved)):
        with np.errstate(invalid="ignore"):
            early = np.flatnonzero(values < created).tolist()
        for row in early:
            bad.setdefault(row, f"the {name} comes before the ticket was created")

    known = {p.id for p in playbook.all("priority")}
    priority = coded(data, "priority", count)
    mapped: list[str | None] = [
        v.strip() if v.strip() in known else helpdesk.priority_of_level(v.strip()) for v in priority.names
    ]
    unknown = np.array([m is None for m in mapped], dtype=bool)
    for row in np.flatnonzero(unknown[priority.codes]).tolist() if len(mapped) else []:
        value = priority.names[priority.codes[row]]
        bad.setdefault(
            row,
            f"priority '{value}' is not a priority of the playbook; map the helpdesk's "
            "priorities in helpdesk.yaml (priorities:)"
            if value.strip()
            else "the ticket has no priority",
        )

    category = _categories(data, count, playbook, helpdesk)
    tier = _tiers(data, count, helpdesk)
    via = helpdesk.via.get(source, {})
    channel = coded(data, "channel", count)
    team = coded(data, "team", count)
    ids = [v.strip() for v in plain(data, "id", empty)]
    for row, v in enumerate(ids):
        if not v:
            bad.setdefault(row, "the ticket has no id")

    for row, message in sorted(bad.items()):
        tickets.problems.append(Problem(path, lines[row], 1, "ticket-row", "error", message))
    keep = np.ones(count, dtype=bool)
    keep[list(bad)] = False
    kept = np.flatnonzero(keep)
    tickets.rejected += len(bad)

    def take(column: Coded, values: list[str]) -> Coded:
        """Each kept ticket's value, from the values of the column's distinct texts."""
        if not len(values):
            return Coded([""], np.zeros(len(kept), dtype=np.int64))
        distinct = list(dict.fromkeys(values))
        index = {v: i for i, v in enumerate(distinct)}
        remap = np.array([index[v] for v in values], dtype=np.int64)
        return Coded(distinct, remap[column.codes[kept]])

    tickets.lines = np.array(lines, dtype=np.int64)[kept].tolist()
    tickets.ids = np.array(ids, dtype=object)[kept].tolist()
    tickets.created, tickets.first, tickets.resolved = created[keep], first_at[keep], resolved[keep]
    tickets.priority = take(priority, [m or "" for m in mapped])
    tickets.category = take(*category)
    tickets.channel = take(channel, [via.get(v.strip().lower(), v.strip()) for v in channel.names])
    tickets.tier = take(*tier)
    tickets.team = take(team, [v.strip() for v in team.names])
    return tickets


@dataclass
class Coded:
    """A column as its distinct texts and, per row, the index of its text (a dictionary code)."""

    names: list[str]
    codes: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> str:
        return self.names[int(self.codes[row])]

    def texts(self) -> list[str]:
        """The value of each row."""
        result: list[str] = np.array(self.names, dtype=object)[self.codes].tolist()
        return result

    def in_order(self) -> tuple[npt.NDArray[np.int64], list[str]]:
        """Codes renumbered by first appearance (rows of a first-seen value first), and the
        distinct values present in that order."""
        if not len(self.codes):
            return self.codes, []
        present, first = np.unique(self.codes, return_index=True)
        # Values that read the same (two codes, one text) become one.
        texts = [self.names[c] for c in present[np.argsort(first, kind="stable")].tolist()]
        distinct = list(dict.fromkeys(texts))
        number = {v: i for i, v in enumerate(distinct)}
        remap = np.zeros(len(self.names), dtype=np.int64)
        for code in present.tolist():
            remap[code] = number[self.names[code]]
        return remap[self.codes], distinct


def plain(data: Mapping[str, Sequence[str] | Coded], name: str, empty: Sequence[str]) -> Sequence[str]:
    """The column ``name`` as text per row."""
    column = data.get(name, empty)
    if isinstance(column, Coded):
        return np.array(column.names, dtype=object)[column.codes].tolist()  # type: ignore[no-any-return]
    return column


def coded(data: Mapping[str, Sequence[str] | Coded], name: str, count: int) -> Coded:
    """The column ``name`` coded (all empty when the export has no such column)."""
    column = data.get(name)
    if isinstance(column, Coded):
        return column
    if column is None:
        return Coded([""], np.zeros(count, dtype=np.int64))
    index: dict[str, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in column), dtype=np.int64, count=count)
    return Coded(list(index), codes)


def _slow(
    records: Any,
    getter: Callable[[list[str]], tuple[str, ...]],
    width: int,
    columns: int,
    rows: list[tuple[str, ...]],
    lines: list[int],
    tickets: Tickets,
    problem: Callable[[int, str], None],
) -> None:
    """Read record by record, keeping each one's first line, reporting short rows."""
    last = 1
    try:
        for record in records:
            first, last = last + 1, records.line_num
            if len(record) < width:
                if any(cell.strip() for cell in record):
                    tickets.read += 1
                    tickets.rejected += 1
                    problem(first, f"the row has {len(record)} values and the header {columns} columns")
                continue
            rows.append(getter(record))
            lines.append(first)
    except csv.Error as exc:
        problem(records.line_num, f"this line cannot be read as CSV ({exc}); the rest was not read")
        tickets.read += 1
        tickets.rejected += 1


def _categories(
    data: Mapping[str, Sequence[str] | Coded], count: int, playbook: Playbook, helpdesk: HelpdeskConfig
) -> tuple[Coded, list[str]]:
    ids = {c.id for c in playbook.all("category")}
    by_name = {c.name.strip().lower(): c.id for c in playbook.all("category")}
    by_name.update({i: i for i in ids})
    prefix = helpdesk.category_prefix
    direct = coded(data, "category" if data.get("category") else "type", count)
    tags = coded(data, "tags", count)
    pairs, codes = dense_unique(direct.codes * len(tags.names) + tags.codes)
    result: list[str] = []
    for pair in pairs.tolist():
        value, tag_text = direct.names[pair // len(tags.names)], tags.names[pair % len(tags.names)]
        found = by_name.get(value.strip().lower(), "")
        if not found:
            for tag in tag_text.replace(",", " ").split():
                if tag.startswith(prefix) and tag[len(prefix) :] in ids:
                    found = tag[len(prefix) :]
                    break
        result.append(found)
    return Coded([""] * len(pairs), codes.reshape(-1).astype(np.int64)), result


def _tiers(
    data: Mapping[str, Sequence[str] | Coded], count: int, helpdesk: HelpdeskConfig
) -> tuple[Coded, list[str]]:
    if "tier" in data:
        tier = coded(data, "tier", count)
        return tier, [v.strip() for v in tier.names]
    prefix = helpdesk.tier_prefix
    tags = coded(data, "tags", count)
    return tags, [
        next((t[len(prefix) :] for t in text.replace(",", " ").split() if t.startswith(prefix)), "")
        for text in tags.names
    ]
