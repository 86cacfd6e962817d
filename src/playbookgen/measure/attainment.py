"""SLA attainment of measured tickets: each ticket's business time against its target, then
figures per period (all, week, month) and dimension (category, priority, channel, tier, team).

A ticket meets a target when its first reply (or resolution) came within the target on the
target's clock; it breaches when the reply came late, or has not come and the target has
already passed at the export's time (``as_of``); otherwise it is still pending and counts in
neither. Attainment = met ÷ (met + breached). Times are reported on the target's clock
(business seconds for business-hour targets); the resolution median of the ``tat`` KPI is
calendar time, as its formula says.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from playbookgen.helpdesk import HelpdeskConfig, Target, Targets
from playbookgen.measure.clock import BusinessClock, Seconds
from playbookgen.measure.tickets import Coded, Tickets, dense_unique
from playbookgen.model import Playbook
from playbookgen.problems import Problem

Codes = npt.NDArray[np.int64]
DIMENSIONS = ("category", "priority", "channel", "tier", "team")
PERIODS = ("all", "month", "week")
TIME_UNITS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0, "days": 86400.0}


@dataclass
class Measured:
    """Per ticket: its target and how long it took, on the target's clock (NaN when unknown)."""

    tickets: Tickets
    as_of: float
    first_target: Seconds
    resolution_target: Seconds
    first_elapsed: Seconds
    resolution_elapsed: Seconds
    resolution_calendar: Seconds
    first_met: npt.NDArray[np.bool_]
    first_breached: npt.NDArray[np.bool_]
    resolution_met: npt.NDArray[np.bool_]
    resolution_breached: npt.NDArray[np.bool_]
    policy: Coded


@dataclass
class Report:
    """Everything ``measure`` found: figures per period and dimension, KPIs, breaches."""

    source: str
    export: str
    timezone: str
    as_of: str
    read: int
    measured: int
    rejected: int
    problems: list[Problem] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    breaches: Breaches = field(default_factory=lambda: Breaches())
    """Rows of :data:`BREACH_COLUMNS`; in breaches.csv, counted in measure.json."""

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "export": self.export,
            "timezone": self.timezone,
            "as_of": self.as_of,
            "tickets": {"read": self.read, "measured": self.measured, "rejected": self.rejected},
            "problems": [
                {"line": p.line, "rule": p.rule, "severity": p.severity, "message": p.message}
                for p in self.problems
            ],
            "figures": self.figures,
            "kpis": self.kpis,
            "breaches": {
                "count": len(self.breaches),
                "file": "breaches.csv",
                "columns": list(BREACH_COLUMNS),
            },
        }


def elapsed(
    clocks: dict[tuple[str, str | None], BusinessClock],
    key: tuple[str, str | None],
    start: Seconds,
    end: Seconds,
) -> Seconds:
    """Seconds from each start to its end on the clock ``key`` (calendar time, or a calendar's
    business hours)."""
    clock = clocks.get(key)
    if key[0] != "business" or clock is None:
        return end - start
    return clock.between(start, end)


def measure_tickets(
    playbook: Playbook, helpdesk: HelpdeskConfig, tickets: Tickets, as_of: float
) -> tuple[Measured, list[Problem]]:
    """Each ticket's target and times, and a problem per policy and priority without a target."""
    targets = Targets(playbook, helpdesk)
    count = len(tickets)
    columns = (tickets.category, tickets.priority, tickets.channel, tickets.tier)
    combined = np.zeros(count, dtype=np.int64)
    for column in columns:
        combined = combined * max(len(column.names), 1) + column.codes
    # One target per combination of category, priority, channel and tier found in the export.
    combos, which = dense_unique(combined)
    firsts = np.zeros(len(combos), dtype=np.int64)
    firsts[which] = np.arange(count)  # a ticket of each combination (any one: same target)
    found: list[Target | None] = [
        targets.target_for(*(column[row] for column in columns)) for row in firsts.tolist()
    ]
    problems: list[Problem] = []
    missing: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(np.array([t is None for t in found])[which]).tolist() if found else []:
        missing.setdefault((targets.policy_of(tickets.category[i]) or "", tickets.priority[i]), []).append(
            tickets.lines[i]
        )
    for (policy, priority), lines in sorted(missing.items()):
        problems.append(
            Problem(
                "sla.yaml",
                1,
                1,
                "measure-setup",
                "warning",
                f"{len(lines)} tickets (first on line {lines[0]} of the export) answer to SLA policy "
                f"'{policy}' at priority {priority}, which has no target there; they are counted but "
                "not measured against a target",
            )
        )
    first_target = (
        np.array([t.first_response if t and t.first_response else np.nan for t in found])[which]
        if found
        else np.zeros(0)
    )
    resolution_target = (
        np.array([t.resolution if t and t.resolution else np.nan for t in found])[which]
        if found
        else np.zeros(0)
    )
    clocks: dict[tuple[str, str | None], BusinessClock] = {}
    for target in found:
        if target is not None and target.key not in clocks and target.calendar:
            calendar = playbook.get("calendar", target.calendar)
            if calendar is not None:
                clocks[target.key] = BusinessClock(calendar.data)
    now = np.full(count, as_of)
    first_end = np.where(np.isnan(tickets.first), now, tickets.first)
    resolution_end = np.where(np.isnan(tickets.resolved), now, tickets.resolved)
    first_elapsed = np.full(count, np.nan)
    resolution_elapsed = np.full(count, np.nan)
    key_of = [t.key if t is not None else ("calendar", None) for t in found]
    for clock_key in set(key_of):
        slots = [s for s, k in enumerate(key_of) if k == clock_key]
        mask = np.isin(which, slots)
        first_elapsed[mask] = elapsed(clocks, clock_key, tickets.created[mask], first_end[mask])
        resolution_elapsed[mask] = elapsed(clocks, clock_key, tickets.created[mask], resolution_end[mask])
    replied = ~np.isnan(tickets.first)
    resolved = ~np.isnan(tickets.resolved)
    with np.errstate(invalid="ignore"):
        first_met = replied & (first_elapsed <= first_target)
        first_breached = first_elapsed > first_target
        resolution_met = resolved & (resolution_elapsed <= resolution_target)
        resolution_breached = resolution_elapsed > resolution_target
    # Times shown are of what happened; a pending ticket has no time yet.
    first_elapsed[~replied] = np.nan
    resolution_elapsed[~resolved] = np.nan
    policies = [t.policy if t is not None else "" for t in found]
    return (
        Measured(
            tickets,
            as_of,
            first_target,
            resolution_target,
            first_elapsed,
            resolution_elapsed,
            tickets.resolved - tickets.created,
            first_met,
            first_breached,
            resolution_met,
            resolution_breached,
            Coded(policies, which),
        ),
        problems,
    )


def local_seconds(instants: Seconds, zone: zoneinfo.ZoneInfo) -> Seconds:
    """Epoch seconds as the wall clock of ``zone`` reads them."""
    finite = np.isfinite(instants)
    result = instants.astype(np.float64, copy=True)
    hours = np.floor(instants[finite] / 3600).astype(np.int64)
    unique, inverse = dense_unique(hours)
    offsets = np.array(
        [
            datetime.fromtimestamp(int(h) * 3600, UTC).astimezone(zone).utcoffset().total_seconds()  # type: ignore[union-attr]
            for h in unique
        ]
    )
    if len(unique):
        result[finite] += offsets[inverse.reshape(-1)]
    return result


class Sorted:
    """The non-NaN values of one per-ticket array, sorted once, to take quantiles per group."""

    def __init__(self, values: Seconds) -> None:
        valid = np.flatnonzero(~np.isnan(values))
        order = valid[np.argsort(values[valid], kind="stable")]
        self.order = order
        self.values = values[order]

        self._taken: dict[int, tuple[Codes, npt.NDArray[np.int32]]] = {}
        self._single: dict[tuple[int, tuple[float, ...]], tuple[Codes, list[Seconds]]] = {}

    def _take(self, codes: Codes) -> npt.NDArray[np.int32]:
        """``codes`` in the order of the sorted values (gathered once per codes array)."""
        kept = self._taken.get(id(codes))
        if kept is None or kept[0] is not codes:
            kept = (codes, codes[self.order].astype(np.int32))
            self._taken[id(codes)] = kept
        return kept[1]

    def quantiles(
        self, period: Codes, dim: Codes, width: int, size: int, qs: tuple[float, ...]
    ) -> list[Seconds]:
        """The ``qs`` quantiles (linear, as numpy's) of the values of each group
        ``period * width + dim``."""
        if size == width:
            # One period (the whole export, or a month export's one month): the groups are
            # the dimension's alone, and the same for every such period.
            key = (id(dim), qs)
            known = self._single.get(key)
            if known is None or known[0] is not dim:
                known = (dim, self._quantiles(period, dim, width, size, qs))
                self._single[key] = known
            return known[1]
        return self._quantiles(period, dim, width, size, qs)

    def _quantiles(
        self, period: Codes, dim: Codes, width: int, size: int, qs: tuple[float, ...]
    ) -> list[Seconds]:
        g = self._take(period) * np.int32(width) + self._take(dim)
        if size <= np.iinfo(np.int16).max:
            g = g.astype(np.int16)  # a stable sort of 16-bit keys is a radix sort: linear
        # A stable sort by group keeps each group's values in ascending order.
        by_group = np.argsort(g, kind="stable")
        counts = np.bincount(g, minlength=size)
        starts = np.concatenate(([0], np.cumsum(counts)))[:-1]
        has = counts > 0
        base = starts[has]
        result = []
        for q in qs:
            out = np.full(size, np.nan)
            position = (counts[has] - 1) * q
            low = np.floor(position).astype(np.int64)
            high = np.ceil(position).astype(np.int64)
            fraction = position - low
            below = self.values[by_group[base + low]]
            above = self.values[by_group[base + high]]
            out[has] = below * (1 - fraction) + above * fraction
            result.append(out)
        return result


def _period_codes(local: Seconds, kind: str) -> tuple[Codes, list[str], list[float]]:
    """Period of each ticket, the periods' labels, and each period's end (local epoch seconds)."""
    days = np.floor(local / 86400).astype(np.int64)
    if kind == "all":
        return np.zeros(len(local), dtype=np.int64), ["all"], [float("inf")]
    if kind == "week":
        starts = days - (days + 3) % 7  # 1970-01-01 was a Thursday
    else:
        months = days.astype("datetime64[D]").astype("datetime64[M]")
        starts = months.astype("datetime64[D]").astype(np.int64)
    unique, codes = dense_unique(starts)
    labels: list[str] = []
    ends: list[float] = []
    for start in unique.tolist():
        first = date(1970, 1, 1) + timedelta(days=int(start))
        if kind == "week":
            year, week, _ = first.isocalendar()
            labels.append(f"{year}-W{week:02d}")
            end = first + timedelta(days=7)
        else:
            labels.append(first.strftime("%Y-%m"))
            end = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.append((end - date(1970, 1, 1)).days * 86400.0)
    return codes.reshape(-1).astype(np.int64), labels, ends


def _minutes(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value) / 60, 1)


def _percent(met: float, breached: float) -> float | None:
    total = met + breached
    return round(100 * float(met) / float(total), 1) if total else None


def figures(measured: Measured, zone: zoneinfo.ZoneInfo) -> list[dict[str, Any]]:
    """One row per period and value of each dimension (and 'all')."""
    t = measured.tickets
    local_created = local_seconds(t.created, zone)
    local_resolved = local_seconds(np.where(np.isnan(t.resolved), np.inf, t.resolved), zone)
    dims: dict[str, tuple[Codes, list[str]]] = {"all": (np.zeros(len(t), dtype=np.int64), ["all"])}
    for name, values in zip(DIMENSIONS, (t.category, t.priority, t.channel, t.tier, t.team), strict=True):
        dims[name] = values.in_order()
    dims["policy"] = measured.policy.in_order()
    first_sorted = Sorted(measured.first_elapsed)
    resolution_sorted = Sorted(measured.resolution_elapsed)
    calendar_sorted = Sorted(measured.resolution_calendar)
    both = ~measured.first_breached & ~measured.resolution_breached
    decided = (
        measured.first_met | measured.first_breached | measured.resolution_met | measured.resolution_breached
    )
    now = local_seconds(np.array([measured.as_of]), zone)[0]
    rows: list[dict[str, Any]] = []
    for period in PERIODS:
        codes, labels, ends = _period_codes(local_created, period)
        # Tickets open at each period's end (or at the export's time, for the running period).
        still_open = [(local_created < min(end, now)) & (local_resolved > min(end, now)) for end in ends]
        for dim, (dim_codes, dim_values) in dims.items():
            if dim != "all" and all(v == "" for v in dim_values):
                continue
            width = len(dim_values)
            key = codes * width + dim_codes
            size = len(labels) * width
            count = np.bincount(key, minlength=size)

            def total(mask: npt.NDArray[np.bool_], key: Codes = key, size: int = size) -> Codes:
                counted: Codes = np.bincount(key, weights=mask, minlength=size).astype(np.int64)
                return counted

            fm, fb = total(measured.first_met), total(measured.first_breached)
            rm, rb = total(measured.resolution_met), total(measured.resolution_breached)
            f50, f90 = first_sorted.quantiles(codes, dim_codes, width, size, (0.5, 0.9))
            r50, r90 = resolution_sorted.quantiles(codes, dim_codes, width, size, (0.5, 0.9))
            (rc50,) = calendar_sorted.quantiles(codes, dim_codes, width, size, (0.5,))
            all_met = total(both & decided)
            all_decided = total(decided)
            backlog = np.zeros(size, dtype=np.int64)
            for p, open_mask in enumerate(still_open):
                backlog[p * width : (p + 1) * width] = np.bincount(dim_codes[open_mask], minlength=width)
            for k in np.flatnonzero(count):
                p, d = divmod(int(k), width)
                rows.append(
                    {
                        "period": period,
                        "label": labels[p],
                        "dimension": dim,
                        "value": dim_values[d],
                        "tickets": int(count[k]),
                        "first_response_met": int(fm[k]),
                        "first_response_breached": int(fb[k]),
                        "first_response_attainment": _percent(fm[k], fb[k]),
                        "first_response_median_minutes": _minutes(f50[k]),
                        "first_response_p90_minutes": _minutes(f90[k]),
                        "resolution_met": int(rm[k]),
                        "resolution_breached": int(rb[k]),
                        "resolution_attainment": _percent(rm[k], rb[k]),
                        "resolution_median_minutes": _minutes(r50[k]),
                        "resolution_p90_minutes": _minutes(r90[k]),
                        "resolution_calendar_median_minutes": _minutes(rc50[k]),
                        "sla_attainment": _percent(all_met[k], all_decided[k] - all_met[k]),
                        "backlog_at_end": int(backlog[k]),
                    }
                )
    return rows


MEASURES = {
    "first-response-median": ("first_response_median_minutes", 60.0),
    "first-response-p90": ("first_response_p90_minutes", 60.0),
    "resolution-median": ("resolution_calendar_median_minutes", 60.0),
    "resolution-p90": ("resolution_p90_minutes", 60.0),
    "first-response-attainment": ("first_response_attainment", None),
    "resolution-attainment": ("resolution_attainment", None),
    "sla-attainment": ("sla_attainment", None),
    "backlog": ("backlog_at_end", None),
}


def kpis(playbook: Playbook, helpdesk: HelpdeskConfig, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each measured KPI per period ('all', months, weeks): value in the KPI's unit, met or not."""
    result: list[dict[str, Any]] = []
    totals = [r for r in rows if r["dimension"] == "all"]
    for kpi_id, measure in helpdesk.kpis.items():
        item = playbook.get("kpi", kpi_id)
        if item is None or measure not in MEASURES:
            continue
        column, _ = MEASURES[measure]
        unit = str(item.data.get("unit", ""))
        target = item.data.get("target")
        higher = item.data.get("direction") == "higher-is-better"
        for row in totals:
            value = row[column]
            if value is not None and column.endswith("_minutes"):
                value = round(value * 60 / TIME_UNITS.get(unit, 60.0), 2)
            met = None
            if value is not None and isinstance(target, (int, float)):
                met = bool(value >= target if higher else value <= target)
            result.append(
                {
                    "kpi": kpi_id,
                    "name": item.name,
                    "measure": measure,
                    "period": row["period"],
                    "label": row["label"],
                    "value": value,
                    "unit": unit,
                    "target": target,
                    "met": met,
                }
            )
    return result


BREACH_COLUMNS = (
    "id",
    "line",
    "metric",
    "created",
    "target_minutes",
    "taken_minutes",
    "still_open",
    "policy",
    "category",
    "priority",
    "channel",
    "team",
)


def _csv_field(text: str) -> str:
    """``text`` as the csv module writes a field (quoted when it holds a comma, quote or line
    break)."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _texts(values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """Each value as the csv module writes it (texts quoted only when they must be, numbers
    formatted once per distinct value)."""
    if not len(values):
        return np.zeros(0, dtype=object)
    if values.dtype == object:
        if any(c in "".join(values.tolist()) for c in ',"\r\n'):
            return np.array([_csv_field(v) for v in values.tolist()], dtype=object)
        return values
    if values.dtype == np.bool_:
        return np.where(values, "True", "False").astype(object)
    if values.dtype.kind in "iu":
        return np.array(list(map(str, values.tolist())), dtype=object)
    unique, inverse = np.unique(values, return_inverse=True)
    texts = np.array(["" if v != v else str(v) for v in unique.tolist()], dtype=object)
    result: npt.NDArray[np.object_] = texts[inverse.reshape(-1)]
    return result


class Breaches:
    """Every breached target, as columns in the order of breaches.csv (oldest ticket first);
    iterating gives rows of :data:`BREACH_COLUMNS`."""

    def __init__(self, measured: Measured | None = None, zone: zoneinfo.ZoneInfo | None = None) -> None:
        self.columns: list[npt.NDArray[Any]] = [np.zeros(0, dtype=object) for _ in BREACH_COLUMNS]
        if measured is None or zone is None:
            return
        t = measured.tickets
        index_parts, metric_parts, target_parts, taken_parts = [], [], [], []
        for metric, flags, target, taken in (
            (0, measured.first_breached, measured.first_target, measured.first_elapsed),
            (1, measured.resolution_breached, measured.resolution_target, measured.resolution_elapsed),
        ):
            picked = np.flatnonzero(flags)
            index_parts.append(picked)
            metric_parts.append(np.full(len(picked), metric, dtype=np.int64))
            target_parts.append(np.round(target[picked] / 60, 1))
            taken_parts.append(np.round(taken[picked] / 60, 1))
        index = np.concatenate(index_parts)
        metric_code = np.concatenate(metric_parts)
        minute = (
            local_seconds(t.created[index], zone)
            .astype("datetime64[s]")
            .astype("datetime64[m]")
            .astype(np.int64)
        )
        ids = np.array(t.ids, dtype=object)[index]
        # Oldest first, then by id and metric (as sorting the rows' tuples would; stable).
        order = np.lexsort((metric_code, ids.astype(str), minute)) if len(index) else index
        index, metric_code, minute, ids = index[order], metric_code[order], minute[order], ids[order]
        target_minutes = np.concatenate(target_parts)[order]
        taken_minutes = np.concatenate(taken_parts)[order]
        created = np.datetime_as_string(minute.astype("datetime64[m]")).astype(object)

        def strings(values: Coded) -> npt.NDArray[np.object_]:
            return np.array(values.names, dtype=object)[values.codes[index]]

        self.columns = [
            ids,
            np.array(t.lines, dtype=np.int64)[index],
            np.array(["first_response", "resolution"], dtype=object)[metric_code],
            created,
            target_minutes,
            taken_minutes,
            np.isnan(taken_minutes),
            strings(measured.policy),
            strings(t.category),
            strings(t.priority),
            strings(t.channel),
            strings(t.team),
        ]

    def __len__(self) -> int:
        return len(self.columns[0])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        columns = [c.tolist() for c in self.columns]
        taken = 5
        columns[taken] = [None if v != v else v for v in columns[taken]]
        return zip(*columns, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Breaches):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def csv_lines(self) -> Iterator[str]:
        """The data lines of breaches.csv, as the csv module writes the rows."""
        if not len(self):
            return iter(())
        texts = [_texts(c) for c in self.columns]
        return map(",".join, zip(*texts, strict=True))


def breaches(measured: Measured, zone: zoneinfo.ZoneInfo) -> Breaches:
    """Every breached target (rows of :data:`BREACH_COLUMNS`), oldest ticket first."""
    return Breaches(measured, zone)
