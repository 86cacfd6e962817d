"""Staffing for peaks: agents per interval and channel from a volume forecast, planned to keep
the service levels, opening hours, shrinkage and maximum occupancy the playbook states.

Three methods, chosen per channel by ``staffing.method`` in channels.yaml:

- ``erlang-c`` (calls): the fewest agents whose Erlang C service level meets the channel's
  target (answer ``percent`` within ``within``); see :mod:`playbookgen.erlang`.
- ``chat``: each agent holds ``concurrency`` conversations at once, so every conversation
  slot is an Erlang C server with the chat's handle time (the time a chat stays open);
  agents = slots needed ÷ concurrency, rounded up.
- ``backlog`` (email, tickets): no one waits on a line, the work must be done within
  ``respond_within``. Each interval's work (contacts × handle time) is spread evenly over
  the open intervals of the forecast that fall within that time from its arrival (the next
  ⌈respond_within ÷ interval⌉ of them), and each interval gets the agents that do the work
  due in it at the maximum occupancy.

Agents on the phones become scheduled heads by dividing by (1 − shrinkage), rounded up.
Only intervals inside the channel's calendar (weekly hours, not on a holiday) are planned.

(Longer than most modules: the three methods share the interval grid, the calendar and the
forecast reading; the Erlang formulas are in :mod:`playbookgen.erlang`.)
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from playbookgen import erlang
from playbookgen.durations import is_open_at, parse_duration
from playbookgen.model import Item, Playbook
from playbookgen.problems import Problem, has_errors

SHRINKAGE_POLICY = "staffing-shrinkage"
MAX_OCCUPANCY_POLICY = "staffing-max-occupancy"
COLUMNS = ("interval_start", "channel", "contacts", "aht_seconds", "concurrency")
REQUIRED_COLUMNS = COLUMNS[:3]
INTERVALS = (15, 30)
DEFAULT_SCALES = (1.0,)
_EPSILON = 1e-9
"""Slack when rounding up: 14 ÷ (1 − 0.3) is 20.000000000000004 in floating point, not 21 heads."""


@dataclass(frozen=True)
class ChannelSetup:
    """What the playbook says about staffing one channel."""

    id: str
    name: str
    method: str
    handle_time: float
    """Seconds."""
    concurrency: int
    target: float | None
    """Service-level target, 0–1 (live channels)."""
    within: float | None
    """Answer-time of the target in seconds (live channels)."""
    respond_within: float | None
    """Seconds of opening time to answer backlog work in."""
    kpi: Item | None
    calendar: Item
    zone: zoneinfo.ZoneInfo


@dataclass(frozen=True)
class ForecastRow:
    """One valid row of the forecast, its start in the channel calendar's time zone."""

    line: int
    start: datetime
    channel: str
    contacts: float
    aht: float | None
    concurrency: int | None


@dataclass(frozen=True)
class PlanRow:
    """The plan of one channel in one interval under one scenario."""

    scenario: float
    start: datetime
    end: datetime
    channel: str
    method: str
    contacts: float
    aht: float
    concurrency: int
    traffic: float
    """Erlangs: contacts × handle time ÷ interval (for backlog, the work due in the interval)."""
    agents: int
    """Agents handling contacts (on the phones, in chat, on the backlog)."""
    service_level: float | None
    waiting_probability: float | None
    asa_seconds: float | None
    occupancy: float
    scheduled: int
    """Heads to schedule after shrinkage."""
    over_max: bool
    """Occupancy above the policy's maximum."""


@dataclass(frozen=True)
class Peak:
    """The busiest interval of one channel under one scenario, and its totals."""

    scenario: float
    channel: str
    start: datetime
    agents: int
    scheduled: int
    contacts: float
    head_hours: float
    warnings: int


@dataclass
class StaffingPlan:
    """A forecast planned against a playbook: every row, and every problem found on the way."""

    interval: int
    scales: tuple[float, ...]
    forecast: str = ""
    """The forecast's file name, as the page and the PDF show it."""
    shrinkage: float = 0.0
    max_occupancy: float = 1.0
    channels: tuple[ChannelSetup, ...] = ()
    rows: tuple[PlanRow, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    """Data rows in the forecast."""
    rejected: int = 0
    """Rows left out because of a problem."""
    closed: int = 0
    """Valid rows outside the channel's opening hours (not planned)."""
    carried: dict[tuple[float, str], float] = field(default_factory=dict)
    """Seconds of backlog work due after the forecast's last interval, by scenario and channel."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def base(self) -> float:
        """The scenario the tables show in full: the forecast as given, else the first one."""
        return 1.0 if 1.0 in self.scales else self.scales[0]

    def of(self, scenario: float, channel: str) -> list[PlanRow]:
        return [r for r in self.rows if r.scenario == scenario and r.channel == channel]

    def peaks(self) -> list[Peak]:
        """Per scenario and channel: the interval needing most heads, heads × hours, warnings."""
        peaks = []
        for scenario in self.scales:
            for setup in self.channels:
                rows = self.of(scenario, setup.id)
                if not rows:
                    continue
                top = max(rows, key=lambda r: (r.scheduled, -r.start.timestamp()))
                peaks.append(
                    Peak(
                        scenario,
                        setup.id,
                        top.start,
                        top.agents,
                        top.scheduled,
                        sum(r.contacts for r in rows),
                        sum(r.scheduled for r in rows) * self.interval / 60,
                        sum(r.over_max for r in rows),
                    )
                )
        return peaks


# --- the playbook's side ----------------------------------------------------------------------


def _seconds(value: object) -> float | None:
    duration = parse_duration(value)
    return duration.total_seconds() if duration is not None else None


def _percent_policy(playbook: Playbook, policy_id: str, problems: list[Problem]) -> float | None:
    item = playbook.get("policy", policy_id)
    value = item.data.get("value") if item is not None else None
    if item is None or item.data.get("unit") != "percent" or not isinstance(value, (int, float)):
        message = (
            f"the staffing plan needs the policy value '{policy_id}' in policies.yaml, with unit: "
            "percent and a number as its value (e.g. 30 for shrinkage, 85 for maximum occupancy)"
        )
        if item is not None:
            problems.append(item.problem(("value",), "staffing-setup", message))
        else:
            problems.append(Problem("policies.yaml", 1, 1, "staffing-setup", "error", message))
        return None
    if not 0 <= value < 100 or (policy_id == MAX_OCCUPANCY_POLICY and value == 0):
        problems.append(
            item.problem(
                ("value",),
                "staffing-setup",
                f"'{policy_id}' is {value}%; the staffing plan needs a percentage above 0 and below 100",
            )
        )
        return None
    return float(value) / 100


def channel_setups(playbook: Playbook) -> tuple[dict[str, ChannelSetup], dict[str, Problem]]:
    """Every channel with a usable ``staffing:`` entry, and the problem of each other one."""
    setups: dict[str, ChannelSetup] = {}
    problems: dict[str, Problem] = {}
    for item in playbook.all("channel"):
        staffing = item.data.get("staffing")
        if not isinstance(staffing, dict):
            continue
        method = str(staffing.get("method"))
        level = staffing.get("service_level") or {}
        target = level.get("percent")
        within = _seconds(level.get("within"))
        respond = _seconds(staffing.get("respond_within"))
        handle = _seconds(staffing.get("handle_time")) or 0.0
        missing = None
        if handle <= 0:
            missing = "a handle_time above zero (e.g. PT3M)"
        elif method in ("erlang-c", "chat") and (target is None or within is None):
            missing = "a service_level (percent and within, e.g. 80 and PT20S)"
        elif method == "backlog" and not respond:
            missing = "respond_within (e.g. PT4H, the first-response target of its SLA policy)"
        if missing is not None:
            problems[item.id] = item.problem(
                ("staffing",),
                "staffing-setup",
                f"channel '{item.id}' is staffed by {method} and needs {missing} under staffing:",
                key=True,
            )
            continue
        calendar = playbook.get("calendar", str(item.data.get("calendar")))
        if calendar is None:
            continue  # an unknown calendar is already reported by check
        kpi = playbook.get("kpi", str(staffing["kpi"])) if staffing.get("kpi") else None
        setups[item.id] = ChannelSetup(
            item.id,
            item.name,
            method,
            handle,
            int(staffing.get("concurrency", 1)) if method == "chat" else 1,
            float(target) / 100 if target is not None else None,
            within,
            respond,
            kpi,
            calendar,
            zoneinfo.ZoneInfo(str(calendar.data.get("timezone", "UTC"))),
        )
    return setups, problems


def is_open(calendar: dict[str, Any], start: datetime, minutes: int) -> bool:
    """True when the whole interval from ``start`` (local time) lies inside the calendar's hours
    that day (holidays and special hours honoured)."""
    return is_open_at(calendar, start, minutes)


# --- the forecast -----------------------------------------------------------------------------


def _field_columns(line: str) -> list[int]:
    """1-based character column where each comma-separated field of ``line`` starts."""
    starts = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


@dataclass
class _Reader:
    path: str
    setups: dict[str, ChannelSetup]
    broken: set[str]
    interval: int
    known: list[str]
    problems: list[Problem] = field(default_factory=list)
    seen_broken: set[str] = field(default_factory=set)

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, column, "forecast-row", "error", message))

    def row(self, line: int, values: dict[str, str], columns: dict[str, int]) -> ForecastRow | None:
        """The row as a :class:`ForecastRow`, or None after reporting what is wrong with it."""
        channel = values.get("channel", "").strip()
        where = columns.get
        if channel in self.broken:
            self.seen_broken.add(channel)
            return None
        setup = self.setups.get(channel)
        if setup is None:
            if channel in self.known:
                hint = f"add a staffing: entry to channel '{channel}' in channels.yaml to plan it"
                self.problem(line, where("channel", 1), f"channel '{channel}' has no staffing: entry; {hint}")
            else:
                close = difflib.get_close_matches(channel, list(self.setups), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(self.setups)}"
                self.problem(line, where("channel", 1), f"no channel has the id '{channel}'; {hint}")
            return None
        start = self._start(line, where("interval_start", 1), values.get("interval_start", ""), setup)
        contacts = self._number(line, where("contacts", 1), "contacts", values.get("contacts", ""), 0)
        aht_text = values.get("aht_seconds", "").strip()
        aht = self._number(line, where("aht_seconds", 1), "aht_seconds", aht_text, None) if aht_text else None
        concurrency = self._concurrency(line, where("concurrency", 1), values.get("concurrency", ""), setup)
        if start is None or contacts is None or (aht_text and aht is None) or concurrency is False:
            return None
        return ForecastRow(
            line, start, channel, contacts, aht, concurrency if isinstance(concurrency, int) else None
        )

    def _start(self, line: int, column: int, text: str, setup: ChannelSetup) -> datetime | None:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            self.problem(
                line,
                column,
                f"interval_start '{text}' is not a date and time; write it as 2026-11-27T08:30 "
                f"(local time of the {setup.calendar.id} calendar) or with an offset, 2026-11-27T08:30+01:00",
            )
            return None
        local = moment.replace(tzinfo=setup.zone) if moment.tzinfo is None else moment.astimezone(setup.zone)
        if local.second or local.microsecond or local.minute % self.interval:
            self.problem(
                line,
                column,
                f"interval_start {text.strip()} is not on the {self.interval}-minute grid; start intervals "
                f"on the hour or {self.interval} minutes past (or run with --interval 15)",
            )
            return None
        return local

    def _number(self, line: int, column: int, name: str, text: str, minimum: float | None) -> float | None:
        try:
            value = float(text.strip())
        except ValueError:
            value = math.nan
        if (
            not math.isfinite(value)
            or (minimum is not None and value < minimum)
            or (minimum is None and value <= 0)
        ):
            wanted = "a number, 0 or more" if minimum is not None else "a number of seconds above 0"
            shown = f"'{text}'" if text.strip() else "empty"
            self.problem(line, column, f"{name} is {shown}; write {wanted}")
            return None
        return value

    def _concurrency(self, line: int, column: int, text: str, setup: ChannelSetup) -> int | bool | None:
        """The row's concurrency, None when not given, False after reporting a problem."""
        text = text.strip()
        if not text:
            return None
        if not text.isdigit() or not 1 <= int(text) <= 10:
            self.problem(line, column, f"concurrency is '{text}'; write a whole number of chats from 1 to 10")
            return False
        if int(text) > 1 and setup.method != "chat":
            self.problem(
                line,
                column,
                f"concurrency {text} applies to chat only; channel '{setup.id}' is planned by "
                f"{setup.method} — leave the column empty",
            )
            return False
        return int(text)


@dataclass
class Forecast:
    """The valid rows of a forecast, the problems of the others, and what it holds."""

    rows: list[ForecastRow]
    problems: list[Problem]
    count: int
    """Data rows, valid or not."""
    broken: set[str]
    """Channels in the forecast whose staffing setup has a problem."""


def read_forecast(
    text: str,
    path: str,
    setups: dict[str, ChannelSetup],
    *,
    interval: int,
    known: Iterable[str] = (),
    broken: Iterable[str] = (),
) -> Forecast:
    """Read a forecast CSV row by row; a bad row is reported and left out, never raised.
    ``known`` are every channel id of the playbook, ``broken`` channels whose setup has problems."""
    # Lines as the csv module counts them (it reads the text split at line feeds).
    lines = text.split("\n")
    reader = _Reader(path, setups, set(broken), interval, list(known))
    records = csv.reader(io.StringIO(text))
    try:
        header = next(records, None)
    except csv.Error as exc:
        reader.problem(
            1, 1, f"the header line cannot be read as CSV ({exc}); write comma-separated column names"
        )
        return Forecast([], reader.problems, 0, set())
    if header is None:
        reader.problem(1, 1, f"the forecast is empty; its first line names the columns: {', '.join(COLUMNS)}")
        return Forecast([], reader.problems, 0, set())
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        reader.problem(
            1,
            1,
            f"the forecast has no {', '.join(missing)} column; its first line must name the columns "
            f"{', '.join(REQUIRED_COLUMNS)} (and optionally aht_seconds, concurrency)",
        )
        return Forecast([], reader.problems, sum(1 for _ in records), set())
    rows: list[ForecastRow] = []
    seen: dict[tuple[str, datetime], int] = {}
    count = 0
    line = 1
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            reader.problem(
                records.line_num,
                1,
                f"this line cannot be read as CSV ({exc}); check its quotes — the rest of the file "
                "was not read",
            )
            break
        first = line + 1
        line = records.line_num
        if not any(cell.strip() for cell in record):
            continue
        count += 1
        starts = _field_columns(lines[first - 1]) if first == line and first <= len(lines) else []
        columns = {name: starts[i] if i < len(starts) else 1 for i, name in enumerate(names)}
        if len(record) != len(names):
            reader.problem(
                first,
                1,
                f"the row has {len(record)} values and the header {len(names)} columns; "
                "give every row one value per column (leave optional ones empty)",
            )
            continue
        row = reader.row(first, {n: v for n, v in zip(names, record, strict=True)}, columns)
        if row is None:
            continue
        key = (row.channel, row.start)
        if key in seen:
            reader.problem(
                first,
                columns.get("interval_start", 1),
                f"{row.channel} at {row.start.isoformat(timespec='minutes')} is already on line "
                f"{seen[key]}; give each channel one row per interval",
            )
            continue
        seen[key] = first
        rows.append(row)
    return Forecast(rows, reader.problems, count, reader.seen_broken)


def decode_forecast(data: bytes, path: str) -> tuple[str, Problem | None]:
    """The forecast's text (UTF-8, with or without a byte-order mark), or the problem that it
    is not UTF-8, at the line and column of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return "", Problem(
            path,
            line,
            column,
            "forecast-row",
            "error",
            "the forecast is not UTF-8 text; export it again as CSV UTF-8 (Excel: Save as → CSV UTF-8)",
        )


# --- the plan ---------------------------------------------------------------------------------


def _heads(agents: int, shrinkage: float) -> int:
    return math.ceil(agents / (1 - shrinkage) - _EPSILON) if agents else 0


def _live_row(
    row: ForecastRow, setup: ChannelSetup, scale: float, interval: int, shrinkage: float, max_occ: float
) -> PlanRow:
    aht = row.aht if row.aht is not None else setup.handle_time
    contacts = row.contacts * scale
    traffic = contacts * aht / (interval * 60)
    assert setup.target is not None and setup.within is not None
    concurrency = (row.concurrency or setup.concurrency) if setup.method == "chat" else 1
    slots = erlang.agents_for(traffic, aht, setup.within, setup.target)
    agents = math.ceil(slots.agents / concurrency)
    achieved = erlang.queue(agents * concurrency, traffic, aht, setup.within) if agents else slots
    return PlanRow(
        scale,
        row.start,
        row.start + timedelta(minutes=interval),
        row.channel,
        setup.method,
        contacts,
        aht,
        concurrency,
        traffic,
        agents,
        achieved.service_level,
        achieved.waiting_probability,
        achieved.asa_seconds,
        achieved.occupancy,
        _heads(agents, shrinkage),
        achieved.occupancy > max_occ + _EPSILON,
    )


def _backlog_rows(
    rows: Sequence[ForecastRow],
    setup: ChannelSetup,
    scale: float,
    interval: int,
    shrinkage: float,
    max_occ: float,
) -> tuple[list[PlanRow], float]:
    """The backlog channel's rows, and the seconds of work carried past the forecast's end."""
    assert setup.respond_within is not None
    seconds = interval * 60
    window = max(1, math.ceil(setup.respond_within / seconds - _EPSILON))
    due = [0.0] * len(rows)
    carried = 0.0
    for index, row in enumerate(rows):
        aht = row.aht if row.aht is not None else setup.handle_time
        share = row.contacts * scale * aht / window
        for target in range(index, index + window):
            # Work due after the forecast's last interval is carried over, not crammed into it.
            if target < len(rows):
                due[target] += share
            else:
                carried += share
    planned = []
    for row, work in zip(rows, due, strict=True):
        agents = math.ceil(work / (seconds * max_occ) - _EPSILON) if work > 0 else 0
        planned.append(
            PlanRow(
                scale,
                row.start,
                row.start + timedelta(minutes=interval),
                row.channel,
                setup.method,
                row.contacts * scale,
                row.aht if row.aht is not None else setup.handle_time,
                1,
                work / seconds,
                agents,
                None,
                None,
                None,
                work / (agents * seconds) if agents else 0.0,
                _heads(agents, shrinkage),
                False,
            )
        )
    return planned, carried


def plan(
    playbook: Playbook,
    forecast: str,
    path: str,
    *,
    scales: Sequence[float] = DEFAULT_SCALES,
    interval: int = 30,
) -> StaffingPlan:
    """The staffing plan of ``forecast`` (CSV text, read from ``path``) on a checked playbook."""
    result = StaffingPlan(interval, tuple(dict.fromkeys(scales)) or DEFAULT_SCALES, Path(path).name)
    shrinkage = _percent_policy(playbook, SHRINKAGE_POLICY, result.problems)
    max_occ = _percent_policy(playbook, MAX_OCCUPANCY_POLICY, result.problems)
    setups, setup_problems = channel_setups(playbook)
    read = read_forecast(
        forecast,
        path,
        setups,
        interval=interval,
        known=[c.id for c in playbook.all("channel")],
        broken=setup_problems,
    )
    rows = read.rows
    result.problems = sorted(result.problems + [setup_problems[c] for c in read.broken] + read.problems)
    result.read = read.count
    result.rejected = read.count - len(rows)
    if shrinkage is None or max_occ is None:
        return result
    result.shrinkage, result.max_occupancy = shrinkage, max_occ
    open_rows = [r for r in rows if is_open(setups[r.channel].calendar.data, r.start, interval)]
    result.closed = len(rows) - len(open_rows)
    planned_channels = {r.channel for r in open_rows}
    order = [c.id for c in playbook.all("channel") if c.id in planned_channels]
    result.channels = tuple(setups[c] for c in order)
    planned: list[PlanRow] = []
    for scale in result.scales:
        for setup in result.channels:
            mine = sorted((r for r in open_rows if r.channel == setup.id), key=lambda r: r.start)
            if setup.method == "backlog":
                rows_of, carried = _backlog_rows(mine, setup, scale, interval, shrinkage, max_occ)
                planned += rows_of
                if carried:
                    result.carried[(scale, setup.id)] = carried
            else:
                planned += [_live_row(r, setup, scale, interval, shrinkage, max_occ) for r in mine]
    result.rows = tuple(planned)
    return result


def dates(rows: Iterable[PlanRow]) -> list[date]:
    """The days a plan covers, in order."""
    return sorted({r.start.date() for r in rows})


# --- the command ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingRequest:
    """A forecast to plan and how: what ``staff`` and ``build --staffing`` are given."""

    forecast: Path
    scales: tuple[float, ...] = DEFAULT_SCALES
    interval: int = 30


def plan_request(playbook: Playbook, request: StaffingRequest) -> StaffingPlan:
    """Read and plan the request's forecast (a forecast that is not UTF-8 is a problem)."""
    text, problem = decode_forecast(request.forecast.read_bytes(), str(request.forecast))
    if problem is not None:
        return StaffingPlan(request.interval, request.scales, request.forecast.name, problems=[problem])
    return plan(playbook, text, str(request.forecast), scales=request.scales, interval=request.interval)


@dataclass
class StaffResult:
    """What ``playbookgen staff`` did: the check's problems, the plan, the files written."""

    problems: list[Problem]
    plan: StaffingPlan | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems) and (self.plan is None or self.plan.ok)


def staff(root: Path, request: StaffingRequest, out: Path, *, pdf: bool = True) -> StaffResult:
    """Check the playbook at ``root``, plan the request's forecast against it and write the plan
    into ``out``. A playbook with errors is not planned; bad forecast rows are left out and
    reported."""
    from playbookgen.check import check
    from playbookgen.render.staffing import write_plan

    checked = check(root)
    if not checked.ok:
        return StaffResult(checked.problems)
    staffing = plan_request(checked.playbook, request)
    result = StaffResult([p for p in checked.problems if p.suppressed is None], staffing)
    if staffing.rows:
        result.files = write_plan(checked.playbook, staffing, out, pdf=pdf)
    return result
