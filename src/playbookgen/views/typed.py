"""The typed view of a checked playbook: every fact as readers see it, derived and worded once.

The site, the print documents, cheat sheets and the diff read these frozen objects instead of
working facts out again from YAML dicts. A view that stands for a playbook item keeps the item
(``.item``, ``.data``) for the free text it shows, and prints as its name, so a template may
write ``{{ category.owner }}`` or ``{{ category.owner.name }}`` alike.

(One module on purpose: the views hold each other — a category holds its priority, roles,
SLA rows and goodwill — and one :class:`PlaybookView` builds and caches them all.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from playbookgen import kinds, review
from playbookgen.durations import METRICS, SUMMER_WEEK, WINTER_WEEK, metric_clock, weekly_hours_in
from playbookgen.model import Item, Playbook
from playbookgen.views import effective_assignments as effective_assignments  # where views find it
from playbookgen.wording import RACI_LETTERS, Wording


@dataclass(frozen=True)
class Ref:
    """A playbook item as a reader refers to it: id and name, with the item behind it."""

    id: str
    name: str
    item: Item | None = field(default=None, compare=False, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        return self.item.data if self.item is not None else {}

    @property
    def description(self) -> Any:
        return self.data.get("description", "")

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class LevelView(Ref):
    """An escalation level: its number and 'Level 3 · Case team'."""

    number: int = 0
    caption: str = ""


@dataclass(frozen=True)
class RoleView(Ref):
    """A role with its escalation level (or 'Partner team'), how to reach it and the
    qualifications its people hold."""

    level: LevelView | None = None
    caption: str = ""
    contact: str | None = None
    group: str = ""
    qualifications: tuple[Ref, ...] = ()

    def holds(self, qualification_id: str) -> bool:
        return any(q.id == qualification_id for q in self.qualifications)


@dataclass(frozen=True)
class QualificationView(Ref):
    """A qualification with the roles that hold it and the categories that need it (the
    category itself, or one of its steps)."""

    holders: tuple[RoleView, ...] = ()
    categories: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class PriorityView(Ref):
    """A priority with its label ('P1 Critical'), used wherever a priority is shown."""

    rank: int = 99
    label: str = ""

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class DayHours:
    """A dated entry of a calendar: a holiday (closed) or special hours, in words."""

    date: str
    """YYYY-MM-DD as written."""
    day: str
    """'Thursday 24 December 2026'-style long date."""
    name: str
    hours: str
    """'09:00–17:00', or 'closed' for a holiday."""


@dataclass(frozen=True)
class CalendarView(Ref):
    """A business-hour calendar with its hours in words ('Mon–Sat 09:00–21:00' or '24/7'),
    its holidays and its special hours (a holiday eve's reduced hours, a sale's late opening)."""

    hours: str = ""
    time_zone: str = ""
    holidays: tuple[DayHours, ...] = ()
    special_hours: tuple[DayHours, ...] = ()
    special_words: str = ""
    """The special hours in one line, for cheat sheets: '24 December 2026 (Christmas Eve) 08:00–17:00'."""


@dataclass(frozen=True)
class CoverageView:
    """One team that answers a channel, with its hours in its own time zone and in the
    playbook's (the reader's)."""

    team: str
    roles: tuple[RoleView, ...]
    calendar: CalendarView | None
    own_hours: str
    own_zone: str
    reader_hours: str
    """'Mon–Sun 22:00–07:00 (next day)', or winter and summer hours when they differ."""
    reader_zone: str

    @property
    def same_zone(self) -> bool:
        return self.own_zone == self.reader_zone


@dataclass(frozen=True)
class PartnerDeadlines:
    """A marketplace's own deadlines on a channel, in words."""

    partner: str
    reply: str
    dispute: str
    note: str


@dataclass(frozen=True)
class ChannelView(Ref):
    """A channel: its kind, hours, who handles it, who covers it when, and a partner's
    deadlines on it."""

    family: str = ""
    mode: str = ""
    always_on: bool = False
    calendar: CalendarView | None = None
    handlers: tuple[RoleView, ...] = ()
    coverage: tuple[CoverageView, ...] = ()
    deadlines: PartnerDeadlines | None = None


@dataclass(frozen=True)
class ContactView(Ref):
    """An official contact point: how to reach it, when, and which channels' staff it helps.

    ``week`` is the staffed hours as ``"mon 09:00-17:30"`` entries (empty when unknown, or
    ``("always",)``) so a page script can mark the contact open or closed now; ``dates`` are
    the calendar's dated exceptions that replace a weekday's hours, ``"2026-12-25 closed"``
    for a holiday and ``"2026-11-27 09:00-23:00"`` for special hours."""

    phone: str | None = None
    email: str | None = None
    hours: str = ""
    audience: str = ""
    calendar: CalendarView | None = None
    supports: tuple[Ref, ...] = ()
    week: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()

    @property
    def tel(self) -> str:
        """The phone number as a ``tel:`` address (digits and a leading +)."""
        if not self.phone:
            return ""
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class SlaRow:
    """One priority of an SLA policy, in words and in short form."""

    priority: PriorityView
    clock: str
    calendar: CalendarView | None
    first_response: str
    update: str
    resolution: str
    short_first: str
    short_update: str
    short_resolution: str
    target: dict[str, Any] = field(compare=False, repr=False)
    clocks: tuple[tuple[str, str, CalendarView | None], ...] = ()
    """(metric, clock, calendar) of each target whose clock differs from the row's, from
    ``clocks:`` (first response around the clock while resolution runs in office hours)."""
    first_plain: str = ""
    """The targets without the calendar's hours ('4 business hours'), for a table that states
    the hours once (see :meth:`PlaybookView.hours_note`)."""
    update_plain: str = ""
    resolution_plain: str = ""

    @property
    def next_update(self) -> str:
        return self.update

    @property
    def hours(self) -> str:
        return self.calendar.hours if self.calendar is not None else ""


@dataclass(frozen=True)
class SlaVariant:
    """Cases that get another policy's targets: a customer tier, some channels, or both."""

    who: str
    """'Summit Club Gold members', 'On Marketplace chat', 'Gold members on Email'."""
    tier: Ref | None
    channels: tuple[Ref, ...]
    policy: Ref
    rows: tuple[SlaRow, ...]
    row: SlaRow | None = None
    """The row at a category's starting priority (on a category's view only)."""


@dataclass(frozen=True)
class SlaSummary:
    """The targets of one category at its default priority: what the category page leads with."""

    policy: Ref
    row: SlaRow

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


@dataclass(frozen=True)
class Step:
    """A handling step: what to do, who does it, whether it resolves at first contact."""

    do: str
    owner: RoleView | None
    owner_id: str
    activity: Ref | None
    resolve_now: bool
    when: str | None
    within: str | None
    qualification: Ref | None = None
    """The qualification the step's owner must hold, when the step requires one."""


@dataclass(frozen=True)
class EscalationTarget:
    """One role a step up goes to: the only one, one of several, or the role of a branch."""

    role: RoleView | None
    role_id: str
    condition: str | None = None
    """The branch's condition ('The wrong item is a medicine.'); None on a plain step."""
    label: str = ""
    """How the branch reads: 'If the wrong item is a medicine.' or 'Otherwise'; empty on a
    plain step."""

    @property
    def name(self) -> str:
        return self.role.name if self.role is not None else self.role_id

    @property
    def caption(self) -> str:
        return self.role.caption if self.role is not None else ""

    @property
    def level(self) -> int | None:
        return self.role.level.number if self.role is not None and self.role.level is not None else None

    @property
    def contact(self) -> str | None:
        return self.role.contact if self.role is not None else None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class EscalationStep:
    """One step up a category's escalation path: to one role, to one of several roles
    ('Store manager or BPO team lead'), or along branches that depend on the case.

    ``role``, ``caption``, ``level`` and ``contact`` describe the step as a whole: the role of
    a one-role step (None otherwise), and the level the step's roles share, if they share one."""

    role: RoleView | None
    role_id: str
    when: str
    caption: str
    level: int | None
    contact: str | None
    targets: tuple[EscalationTarget, ...] = ()
    branched: bool = False
    names: str = ""
    """The step's roles in words: 'Case owner', 'Store manager or BPO team lead'."""

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(t.role_id for t in self.targets) if self.targets else (self.role_id,)

    @property
    def single(self) -> bool:
        return not self.branched and len(self.targets) <= 1


@dataclass(frozen=True)
class Cap:
    """One goodwill cap of a role."""

    type: Ref
    name: str
    per_case: str
    per_customer: str


@dataclass(frozen=True)
class Goodwill:
    """A role's goodwill limits: caps per compensation type, approver, what to record."""

    role: RoleView
    caps: tuple[Cap, ...]
    approver: RoleView | None
    documentation: str | None


@dataclass(frozen=True)
class ForbiddenCompensation:
    """A compensation type a category never offers, and why."""

    type: Ref
    reason: str


@dataclass(frozen=True)
class RootCause:
    code: str
    description: str
    owner: RoleView | None

    @property
    def owner_role(self) -> RoleView | None:
        return self.owner


@dataclass(frozen=True)
class CategoryView(Ref):
    """A case category as readers see it, on the site, in print and on cheat sheets."""

    area: str = ""
    priority: PriorityView | None = None
    impact: Ref | None = None
    urgency: Ref | None = None
    policy: Ref | None = None
    rows: tuple[SlaRow, ...] = ()
    default_row: SlaRow | None = None
    sla_notes: tuple[str, ...] = ()
    variants: tuple[SlaVariant, ...] = ()
    """Other targets for some of this category's cases (a tier, or one of its channels)."""
    owner: RoleView | None = None
    partner: RoleView | None = None
    channels: tuple[Ref, ...] = ()
    steps: tuple[Step, ...] = ()
    path: tuple[EscalationStep, ...] = ()
    raci: tuple[tuple[Ref, dict[str, tuple[RoleView, ...]]], ...] = ()
    goodwill: tuple[Goodwill, ...] = ()
    scripts: tuple[Ref, ...] = ()
    forms: tuple[Ref, ...] = ()
    closure_form: Ref | None = None
    modules: tuple[Ref, ...] = ()
    root_causes: tuple[RootCause, ...] = ()
    qualification: Ref | None = None
    """The qualification the case needs somewhere on its escalation path."""
    qualified: tuple[RoleView, ...] = ()
    """The roles on the case (owner, step owners, escalation path) that hold a
    qualification the case or one of its steps requires."""
    forbidden: tuple[ForbiddenCompensation, ...] = ()
    raci_changed: tuple[Ref, ...] = ()
    """The activities of the case whose letters this category changes (raci_overrides)."""
    support: tuple[ContactView, ...] = ()
    """Staff contacts that support this category's channels: the 'Who to call' box."""

    @property
    def priority_id(self) -> str:
        return self.priority.id if self.priority is not None else ""

    @property
    def priority_rank(self) -> int:
        return self.priority.rank if self.priority is not None else 99

    @property
    def resolve_now(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.resolve_now)

    @property
    def escalate(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.resolve_now)

    @property
    def escalation(self) -> tuple[EscalationStep, ...]:
        return self.path

    @property
    def sla(self) -> SlaSummary | None:
        if self.policy is None or self.default_row is None:
            return None
        return SlaSummary(self.policy, self.default_row)

    @property
    def summary(self) -> str:
        return str(self.data.get("summary", ""))

    @property
    def keywords(self) -> list[Any]:
        return list(self.data.get("keywords", []))

    @property
    def examples(self) -> list[Any]:
        return list(self.data.get("examples", []))

    @property
    def fcr(self) -> Any:
        return self.data.get("first_contact_resolution")

    @property
    def rca_required(self) -> bool:
        return bool(self.data.get("rca_required"))

    @property
    def waivers(self) -> list[Any]:
        return list(self.data.get("recovery_waivers", []))


@dataclass(frozen=True)
class RaciRow:
    """One activity of the RACI matrix: its letters per role, in the matrix's role order."""

    activity: Ref
    cells: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.activity.name

    @property
    def description(self) -> Any:
        return self.activity.data.get("description")


@dataclass(frozen=True)
class RaciMatrix:
    """Activities × the roles that appear in any of them (roles.yaml order)."""

    roles: tuple[RoleView, ...]
    rows: tuple[RaciRow, ...]


@dataclass(frozen=True)
class TeamTarget:
    """A KPI's own target for one team (role group), in words."""

    group: str
    team: str
    """The team's name in words: 'Outsourced contact centre (BPO)'."""
    target: str
    notes: str | None


@dataclass(frozen=True)
class KpiView(Ref):
    """A KPI with its target in words ('at least 85%') and any per-team targets."""

    target: str = ""
    direction: str = ""
    owner: RoleView | None = None
    teams: tuple[TeamTarget, ...] = ()


@dataclass(frozen=True)
class PolicyValue(Ref):
    """A named policy value as text wherever ``{{ policy.ID }}`` appears."""

    value: str = ""
    owner: RoleView | None = None


@dataclass(frozen=True)
class ReviewView:
    """Who keeps a page's content true and when it was checked, worded for readers: the
    owner, the last and next review dates, and whether the review is late (``status``: ok,
    due-soon, due, overdue or never; see :mod:`playbookgen.review`)."""

    owner: RoleView | None
    owner_name: str
    last_reviewed: str
    next_review: str
    status: str
    note: str = ""
    days_late: int = 0

    @property
    def shown(self) -> bool:
        """Whether there is anything to tell readers (an owner, a review date, a late review)."""
        return bool(self.owner_name or self.last_reviewed or self.late)

    @property
    def late(self) -> bool:
        """Whether readers are warned: past its review date, or never reviewed."""
        return self.status in ("due", "overdue", "never")


def _rank(item: Item) -> int:
    return int(item.data.get("rank", 99))


def area_order(playbook: Playbook) -> dict[str, int]:
    """The position of each area named in playbook.yaml's ``areas``."""
    return {str(area): index for index, area in enumerate(playbook.settings.get("areas") or [])}


def ordered_categories(playbook: Playbook) -> list[Item]:
    """Categories by area — in the order playbook.yaml states, then unlisted areas
    alphabetically — and by name within an area."""
    order = area_order(playbook)

    def key(category: Item) -> tuple[int, str, str]:
        area = str(category.data.get("area", ""))
        return (order.get(area, len(order)), area, category.name)

    return sorted(playbook.all("category"), key=key)


class PlaybookView:
    """Builds the typed views of one checked playbook, each once, worded by ``wording``."""

    def __init__(self, playbook: Playbook, wording: Wording | None = None) -> None:
        self.playbook = playbook
        self.words = wording or Wording.of(playbook.settings)
        authority = playbook.file("authority")
        self.authority: dict[str, Any] = (
            authority.data if authority is not None and isinstance(authority.data, dict) else {}
        )
        self.limits: dict[str, dict[str, Any]] = {
            str(entry.get("role")): entry
            for entry in self.authority.get("limits", [])
            if isinstance(entry, dict)
        }
        self.matrix: dict[tuple[str, str], str] = {}
        doc = playbook.file("priorities")
        if doc is not None and isinstance(doc.data, dict):
            for cell in doc.data.get("matrix", []):
                self.matrix[(str(cell.get("impact")), str(cell.get("urgency")))] = str(cell.get("priority"))
        self.modules_by_category: dict[str, list[Item]] = {}
        for module in playbook.all("training"):
            for category_id in (module.data.get("covers") or {}).get("categories", []):
                self.modules_by_category.setdefault(str(category_id), []).append(module)

    # --- ownership and review ---------------------------------------------------------------

    @functools.cached_property
    def reviews(self) -> dict[tuple[str, str], ReviewView]:
        """(kind, id) → the review of every reviewed unit (a whole file's kind and id are its
        file kind), judged on the day :func:`playbookgen.review.as_of` gives the build."""
        today, _ = review.as_of(self.playbook, self.playbook.today)
        found: dict[tuple[str, str], ReviewView] = {}
        for unit in review.units(self.playbook, today):
            note = _get_note(unit.doc.data, unit.path)
            found[(unit.kind, unit.id)] = ReviewView(
                self.role(unit.owner) if unit.owner else None,
                self.name("role", unit.owner) if unit.owner else "",
                self.words.date(unit.last_reviewed.isoformat()) if unit.last_reviewed else "",
                self.words.date(unit.next_review.isoformat()) if unit.next_review else "",
                unit.status,
                note,
                unit.days_late,
            )
        return found

    def review_of_file(self, relpath: str) -> ReviewView | None:
        """The review of what a page shows: an item file or a whole file (``sla.yaml``)."""
        source = kinds.kind_of(relpath)
        if source is None:
            return None
        if source.item is not None:
            doc = self.playbook.docs.get(relpath)
            item_id = doc.data.get("id") if doc is not None and isinstance(doc.data, dict) else None
            return self.reviews.get((source.item.id, str(item_id)))
        return self.reviews.get((source.name, source.name))

    # --- items ----------------------------------------------------------------------------

    def ref(self, kind: str, item_id: object) -> Ref | None:
        item = self.playbook.get(kind, str(item_id))
        return Ref(item.id, item.name, item) if item is not None else None

    def refs(self, kind: str, ids: Iterable[object]) -> tuple[Ref, ...]:
        return tuple(r for r in (self.ref(kind, i) for i in ids) if r is not None)

    def name(self, kind: str, item_id: object) -> str:
        item = self.playbook.get(kind, str(item_id))
        return item.name if item is not None else str(item_id)

    @functools.cache  # noqa: B019 - one view per playbook, dropped with it
    def level(self, level_id: str) -> LevelView | None:
        item = self.playbook.get("level", level_id)
        if item is None:
            return None
        number = int(item.data.get("level", 0))
        return LevelView(item.id, item.name, item, number, self.words.level_caption(number, item.name))

    @functools.cache  # noqa: B019
    def role(self, role_id: str) -> RoleView | None:
        item = self.playbook.get("role", role_id)
        if item is None:
            return None
        level = self.level(str(item.data.get("level")))
        group = str(item.data.get("group", ""))
        caption = (
            level.caption if level is not None else self.words._("Partner team") if group == "partner" else ""
        )
        contact = item.data.get("contact")
        return RoleView(
            item.id,
            item.name,
            item,
            level,
            caption,
            str(contact) if contact else None,
            group,
            self.refs("qualification", item.data.get("qualifications", [])),
        )

    def levels(self) -> tuple[LevelView, ...]:
        """The escalation levels, first contact first."""
        levels = (self.level(item.id) for item in self.playbook.all("level"))
        return tuple(sorted((lv for lv in levels if lv is not None), key=lambda lv: lv.number))

    def roles(self, ids: Iterable[object]) -> tuple[RoleView, ...]:
        return tuple(r for r in (self.role(str(i)) for i in ids) if r is not None)

    def qualifications(self) -> tuple[QualificationView, ...]:
        """Every qualification (roles.yaml order), with who holds it and which cases need it."""
        found = []
        for item in self.playbook.all("qualification"):
            holders = self.roles(
                r.id for r in self.playbook.all("role") if item.id in r.data.get("qualifications", [])
            )
            needing = tuple(
                Ref(c.id, c.name, c)
                for c in ordered_categories(self.playbook)
                if c.data.get("requires_qualification") == item.id
                or any(s.get("requires_qualification") == item.id for s in c.data.get("steps", []))
            )
            found.append(QualificationView(item.id, item.name, item, holders, needing))
        return tuple(found)

    @functools.cache  # noqa: B019
    def priority(self, priority_id: str) -> PriorityView | None:
        item = self.playbook.get("priority", priority_id)
        if item is None:
            return None
        label = self.words.priority_label(item.id, item.name)
        return PriorityView(item.id, item.name, item, _rank(item), label)

    def priorities(self) -> tuple[PriorityView, ...]:
        items = sorted(self.playbook.all("priority"), key=_rank)
        return tuple(p for p in (self.priority(i.id) for i in items) if p is not None)

    def priority_of(self, category: Item) -> PriorityView | None:
        """The priority the matrix gives a category's default impact and urgency."""
        cell = self.matrix.get((str(category.data.get("impact")), str(category.data.get("urgency"))))
        return self.priority(cell) if cell is not None else None

    @functools.cache  # noqa: B019
    def calendar(self, calendar_id: str) -> CalendarView | None:
        item = self.playbook.get("calendar", calendar_id)
        if item is None:
            return None
        words = self.words
        data = item.data
        holidays = tuple(
            DayHours(str(h.get("date")), words.date(h.get("date")), str(h.get("name", "")), words._("closed"))
            for h in data.get("holidays") or []
        )
        special = tuple(
            DayHours(
                str(s.get("date")),
                words.date(s.get("date")),
                str(s.get("name", "")),
                f"{words.time(s.get('open'))}–{words.time(s.get('close'))}",
            )
            for s in sorted(data.get("special_hours") or [], key=lambda s: str(s.get("date")))
        )
        return CalendarView(
            item.id,
            item.name,
            item,
            words.calendar_hours(data),
            str(data.get("timezone", "")),
            holidays,
            special,
            words.join(
                words._("%(day)s (%(name)s) %(hours)s", day=d.day, name=d.name, hours=d.hours)
                for d in special
            ),
        )

    # --- channels -------------------------------------------------------------------------

    @functools.cache  # noqa: B019
    def channel(self, channel_id: str) -> ChannelView | None:
        item = self.playbook.get("channel", channel_id)
        if item is None:
            return None
        data = item.data
        words = self.words
        own_calendar = self.calendar(str(data.get("calendar")))
        reader_zone = str(self.playbook.settings.get("timezone") or "") or (
            own_calendar.time_zone if own_calendar is not None else ""
        )
        coverage = []
        for entry in data.get("coverage") or []:
            calendar = self.calendar(str(entry.get("calendar")))
            own_zone = calendar.time_zone if calendar is not None else ""
            own_hours = calendar.hours if calendar is not None else ""
            reader_hours = own_hours
            if calendar is not None and reader_zone and own_zone and own_zone != reader_zone:
                reader_hours = self._hours_in(calendar, reader_zone)
            coverage.append(
                CoverageView(
                    str(entry.get("team", "")),
                    self.roles(entry.get("roles", [])),
                    calendar,
                    own_hours,
                    own_zone,
                    reader_hours,
                    reader_zone or own_zone,
                )
            )
        deadlines = data.get("partner_deadlines")
        partner = (
            PartnerDeadlines(
                str(deadlines.get("partner", "")),
                words.duration(deadlines["reply"]) if deadlines.get("reply") else "",
                words.duration(deadlines["dispute"]) if deadlines.get("dispute") else "",
                str(deadlines.get("note", "")),
            )
            if isinstance(deadlines, dict)
            else None
        )
        return ChannelView(
            item.id,
            item.name,
            item,
            family=str(data.get("family", "")),
            mode=str(data.get("mode", "")),
            always_on=bool(data.get("always_on")),
            calendar=own_calendar,
            handlers=self.roles(data.get("handled_by", [])),
            coverage=tuple(coverage),
            deadlines=partner,
        )

    def _hours_in(self, calendar: CalendarView, zone: str) -> str:
        """A calendar's weekly hours in another zone; winter and summer when they differ."""
        words = self.words
        try:
            winter = words.shifted_hours(weekly_hours_in(calendar.data, zone, WINTER_WEEK))
            summer = words.shifted_hours(weekly_hours_in(calendar.data, zone, SUMMER_WEEK))
        except (KeyError, ValueError):
            return calendar.hours
        if winter == summer:
            return winter
        return words._("%(winter)s in winter; %(summer)s in summer", winter=winter, summer=summer)

    def channels(self) -> tuple[ChannelView, ...]:
        return tuple(v for c in self.playbook.all("channel") if (v := self.channel(c.id)) is not None)

    # --- contacts -------------------------------------------------------------------------

    @functools.cache  # noqa: B019
    def contact(self, contact_id: str) -> ContactView | None:
        item = self.playbook.get("contact", contact_id)
        if item is None:
            return None
        data = item.data
        calendar = self.calendar(str(data["calendar"])) if data.get("calendar") else None
        hours = calendar.hours if calendar is not None else str(data.get("hours", ""))
        week: tuple[str, ...] = ()
        dates: tuple[str, ...] = ()
        if calendar is not None:
            if calendar.data.get("always_open"):
                week = ("always",)
            else:
                week = tuple(
                    f"{day} {interval.get('open')}-{interval.get('close')}"
                    for interval in calendar.data.get("hours", [])
                    for day in interval.get("days", [])
                )
                dated = [(str(h.get("date")), "closed") for h in calendar.data.get("holidays") or []]
                dated += [
                    (str(s.get("date")), f"{s.get('open')}-{s.get('close')}")
                    for s in calendar.data.get("special_hours") or []
                ]
                dates = tuple(f"{day} {hours}" for day, hours in sorted(dated))
        return ContactView(
            item.id,
            item.name,
            item,
            phone=str(data["phone"]) if data.get("phone") else None,
            email=str(data["email"]) if data.get("email") else None,
            hours=hours,
            audience=str(data.get("audience", "")),
            calendar=calendar,
            supports=self.refs("channel", data.get("supports", [])),
            week=week,
            dates=dates,
        )

    def contacts(self) -> tuple[ContactView, ...]:
        """Every official contact, in playbook.yaml order."""
        found = (self.contact(c.id) for c in self.playbook.all("contact"))
        return tuple(c for c in found if c is not None)

    def support_for(self, channel_ids: Iterable[object]) -> tuple[ContactView, ...]:
        """The contacts that support any of ``channel_ids`` (playbook.yaml order)."""
        wanted = {str(c) for c in channel_ids}
        return tuple(c for c in self.contacts() if wanted & {ch.id for ch in c.supports})

    # --- SLA ------------------------------------------------------------------------------

    @functools.cache  # noqa: B019
    def sla_rows(self, policy_id: str) -> tuple[SlaRow, ...]:
        """The targets of an SLA policy, highest priority first, in words."""
        policy = self.playbook.get("sla-policy", policy_id)
        if policy is None:
            return ()
        rows: list[SlaRow] = []
        for target in policy.data.get("targets", []):
            priority = self.priority(str(target.get("priority")))
            if priority is None:
                continue
            calendar = self.calendar(str(target.get("calendar")))
            clock = str(target.get("clock", "calendar"))
            words = self.words
            long: dict[str, str] = {}
            short: dict[str, str] = {}
            plain: dict[str, str] = {}
            own: list[tuple[str, str, CalendarView | None]] = []
            for metric in METRICS:
                on_clock, calendar_id = metric_clock(target, metric)
                metric_calendar = self.calendar(calendar_id)
                data = metric_calendar.data if metric_calendar is not None else None
                long[metric] = words.target(target.get(metric), on_clock, data)
                short[metric] = words.short_target(target.get(metric), on_clock)
                # Without the hours when they are the row's calendar's (stated once under a table).
                same = (
                    clock == "business"
                    and metric_calendar is not None
                    and calendar is not None
                    and metric_calendar.id == calendar.id
                )
                hours_apply = on_clock == "business" and data is not None and not data.get("always_open")
                plain[metric] = (
                    words.business_duration(target.get(metric)) if hours_apply and same else long[metric]
                )
                if metric in (target.get("clocks") or {}):
                    own.append((metric, on_clock, metric_calendar))
            rows.append(
                SlaRow(
                    priority,
                    clock,
                    calendar,
                    long["first_response"],
                    long["update"],
                    long["resolution"],
                    short["first_response"],
                    short["update"],
                    short["resolution"],
                    target,
                    tuple(own),
                    plain["first_response"],
                    plain["update"],
                    plain["resolution"],
                )
            )
        return tuple(sorted(rows, key=lambda r: r.priority.rank))

    def hours_note(self, rows: Iterable[SlaRow]) -> str:
        """'Business hours: Mon–Fri 09:00–17:30 (Head office, Amsterdam).' for the calendars
        the business-hours targets among ``rows`` count, or ''."""
        calendars = list(
            dict.fromkeys(
                r.calendar
                for r in rows
                if r.clock == "business" and r.calendar is not None and not r.calendar.data.get("always_open")
            )
        )
        if not calendars:
            return ""
        hours = "; ".join(f"{c.hours} ({c.name})" for c in calendars)
        return self.words._("Business hours: %(hours)s.", hours=hours)

    @functools.cache  # noqa: B019
    def sla_variants(self, policy_id: str) -> tuple[SlaVariant, ...]:
        """The policy's variants in order: whom each is for and the targets they get."""
        policy = self.playbook.get("sla-policy", policy_id)
        if policy is None:
            return ()
        found: list[SlaVariant] = []
        for variant in policy.data.get("variants", []):
            other = self.ref("sla-policy", variant.get("sla_policy"))
            if other is None:
                continue
            tier = self.ref("tier", variant.get("tier")) if variant.get("tier") else None
            channels = self.refs("channel", variant.get("channels", []))
            found.append(
                SlaVariant(self._who(tier, channels), tier, channels, other, self.sla_rows(other.id))
            )
        return tuple(found)

    def _who(self, tier: Ref | None, channels: tuple[Ref, ...]) -> str:
        words = self.words
        names = words.join(c.name for c in channels)
        if tier is not None and channels:
            return words._("%(tier)s on %(channels)s", tier=tier.name, channels=names)
        if tier is not None:
            return tier.name
        return words._("On %(channels)s", channels=names)

    def tiers(self) -> tuple[Ref, ...]:
        """The customer tiers, as listed."""
        return tuple(Ref(t.id, t.name, t) for t in self.playbook.all("tier"))

    @functools.cache  # noqa: B019
    def sla_notes(self, policy_id: str) -> tuple[str, ...]:
        """The policy's warnings and escalations as sentences."""
        policy = self.playbook.get("sla-policy", policy_id)
        if policy is None:
            return ()
        words = self.words
        lines = []
        for warning in policy.data.get("warnings", []):
            names = ", ".join(self.name("role", r) for r in warning.get("notify", []))
            lines.append(
                words._(
                    "At %(percent)s of a target: reminder to %(names)s.",
                    percent=words.percent(warning.get("at_percent")),
                    names=names,
                )
            )
        for escalation in policy.data.get("escalations", []):
            level = self.level(str(escalation.get("level")))
            names = ", ".join(self.name("role", r) for r in escalation.get("notify", []))
            where = level.caption if level is not None else words._("the next level")
            at = escalation.get("at_percent")
            if at == 100:
                line = words._(
                    "At 100%% (breach): escalates to %(level)s; %(names)s told.", level=where, names=names
                )
            else:
                line = words._(
                    "At %(percent)s of a target: escalates to %(level)s; %(names)s told.",
                    percent=words.percent(at),
                    level=where,
                    names=names,
                )
            lines.append(line)
        return tuple(lines)

    # --- goodwill -------------------------------------------------------------------------

    def caps(self, entry: dict[str, Any]) -> tuple[Cap, ...]:
        caps = []
        for cap in entry.get("caps", []):
            kind = self.ref("compensation-type", cap.get("type")) or Ref(
                str(cap.get("type")), str(cap.get("type"))
            )
            caps.append(
                Cap(
                    kind,
                    kind.name,
                    self.words.money(cap.get("per_case")),
                    self.words.money(cap.get("per_customer")),
                )
            )
        return tuple(caps)

    def goodwill(self, role_ids: Iterable[str] | None = None) -> tuple[Goodwill, ...]:
        """Goodwill limits per role (authority.yaml order), optionally only for ``role_ids``."""
        wanted = set(role_ids) if role_ids is not None else None
        rows: list[Goodwill] = []
        for role_id in self.limits:
            if wanted is not None and role_id not in wanted:
                continue
            role = self.role(role_id)
            if role is None:
                continue
            rows.append(self._goodwill(role_id))
        return tuple(rows)

    @functools.cache  # noqa: B019
    def _goodwill(self, role_id: str) -> Goodwill:
        entry = self.limits[role_id]
        role = self.role(role_id)
        assert role is not None
        approver = self.role(str(entry.get("approver"))) if entry.get("approver") else None
        return Goodwill(role, self.caps(entry), approver, entry.get("documentation"))

    def caps_by_type(self) -> dict[tuple[str, str], Cap]:
        """(compensation type, role) → cap, for the authority matrix."""
        return {
            (cap.type.id, role_id): cap
            for role_id in self.limits
            if self.role(role_id) is not None
            for cap in self._goodwill(role_id).caps
        }

    @property
    def period(self) -> str:
        """The period per-customer caps run over, in words."""
        return self.words.duration(self.authority.get("period", "")) if self.authority else ""

    # --- RACI -----------------------------------------------------------------------------

    def raci(
        self, activity: Item, overrides: dict[str, Any] | None = None
    ) -> dict[str, tuple[RoleView, ...]]:
        """Roles by RACI letter for one activity (an entry like 'A/R' counts for both), with a
        category's ``overrides`` (role → letters, '-' takes the role off) applied."""
        letters: dict[str, list[RoleView]] = {letter: [] for letter in RACI_LETTERS}
        assignments = effective_assignments(activity.data.get("assignments") or {}, overrides)
        for role_id, value in assignments.items():
            role = self.role(str(role_id))
            if role is None:
                continue
            for letter in RACI_LETTERS:
                if letter in str(value).upper():
                    letters[letter].append(role)
        return {letter: tuple(roles) for letter, roles in letters.items()}

    @functools.cached_property
    def raci_matrix(self) -> RaciMatrix:
        activities = self.playbook.all("activity")
        used = {str(role) for a in activities for role in (a.data.get("assignments") or {})}
        roles = self.roles(r.id for r in self.playbook.all("role") if r.id in used)
        rows = tuple(
            RaciRow(
                Ref(a.id, a.name, a),
                tuple(str((a.data.get("assignments") or {}).get(r.id, "")) for r in roles),
            )
            for a in activities
        )
        return RaciMatrix(roles, rows)

    # --- categories -----------------------------------------------------------------------

    @functools.cache  # noqa: B019
    def category(self, category_id: str) -> CategoryView:
        """Everything a category shows, computed once."""
        item = self.playbook.get("category", category_id)
        assert item is not None, category_id
        data = item.data
        priority = self.priority_of(item)
        policy = self.ref("sla-policy", data.get("sla_policy"))
        rows = self.sla_rows(policy.id) if policy is not None else ()
        default_row = next((r for r in rows if priority is not None and r.priority.id == priority.id), None)
        steps = tuple(
            Step(
                str(step.get("do", "")),
                self.role(str(step.get("owner"))),
                str(step.get("owner")),
                self.ref("activity", step.get("activity")),
                bool(step.get("resolve_now")),
                step.get("when"),
                self.words.duration(step["within"]) if step.get("within") else None,
                self.ref("qualification", step["requires_qualification"])
                if step.get("requires_qualification")
                else None,
            )
            for step in data.get("steps", [])
        )
        path = tuple(self.escalation_step(entry) for entry in data.get("escalation_path", []))
        activities: list[Ref] = []
        for step in steps:
            if step.activity is not None and step.activity not in activities:
                activities.append(step.activity)
        on_path = [role_id for e in path for role_id in e.role_ids]
        relevant = [s.owner_id for s in steps] + on_path + [str(data.get("owner"))]
        overrides = {
            str(entry.get("activity")): dict(entry.get("assignments") or {})
            for entry in data.get("raci_overrides", [])
        }
        # A role this category takes off an activity ('-') is not on the case because it
        # answers one of its channels: the dispensing-error page does not list the
        # marketplace agent.
        taken_off = {
            str(role)
            for changes in overrides.values()
            for role, value in changes.items()
            if str(value).strip() == "-"
        }
        channels = self.refs("channel", data.get("channels", []))
        for channel in channels:
            relevant += [str(r) for r in channel.data.get("handled_by", []) if str(r) not in taken_off]
        closure = self.ref("form", data.get("closure_form")) if data.get("closure_form") else None
        forbidden = tuple(
            ForbiddenCompensation(
                self.ref("compensation-type", entry.get("type"))
                or Ref(str(entry.get("type")), str(entry.get("type"))),
                str(entry.get("reason", "")),
            )
            for entry in data.get("forbidden_compensation", [])
        )
        required = {str(data["requires_qualification"])} if data.get("requires_qualification") else set()
        required |= {s.qualification.id for s in steps if s.qualification is not None}
        qualified = tuple(
            role for role in self.roles(dict.fromkeys(relevant)) if any(role.holds(q) for q in required)
        )
        forms = tuple(
            f for f in self.refs("form", data.get("forms", [])) if closure is None or f.id != closure.id
        )
        return CategoryView(
            item.id,
            item.name,
            item,
            area=str(data.get("area", "")),
            priority=priority,
            impact=self.ref("impact", data.get("impact")),
            urgency=self.ref("urgency", data.get("urgency")),
            policy=policy,
            rows=rows,
            default_row=default_row,
            sla_notes=self.sla_notes(policy.id) if policy is not None else (),
            variants=self.category_variants(policy, priority, channels),
            owner=self.role(str(data.get("owner"))),
            partner=self.role(str(data["partner_team"])) if data.get("partner_team") else None,
            channels=channels,
            steps=steps,
            path=tuple(path),
            raci=tuple(
                (activity, self.raci(activity.item, overrides.get(activity.id)))
                for activity in activities
                if activity.item is not None
            ),
            goodwill=self.without(
                self.goodwill(list(dict.fromkeys(relevant))), {f.type.id for f in forbidden}
            ),
            scripts=self.refs("recovery", data.get("recovery_scripts", [])),
            forms=forms,
            closure_form=closure,
            modules=tuple(Ref(m.id, m.name, m) for m in self.modules_by_category.get(item.id, [])),
            root_causes=tuple(
                RootCause(
                    str(rc.get("code", "")),
                    str(rc.get("description", "")),
                    self.role(str(rc["owner"])) if rc.get("owner") else None,
                )
                for rc in data.get("root_causes", [])
            ),
            qualification=self.ref("qualification", data["requires_qualification"])
            if data.get("requires_qualification")
            else None,
            qualified=qualified,
            forbidden=forbidden,
            raci_changed=tuple(a for a in activities if a.id in overrides),
            support=self.support_for(data.get("channels", [])),
        )

    def escalation_step(self, entry: dict[str, Any]) -> EscalationStep:
        """One entry of an escalation path: one role, several roles, or branches."""
        words = self.words
        when = str(entry.get("when", ""))
        if entry.get("branches"):
            targets = tuple(
                EscalationTarget(
                    self.role(str(branch.get("role"))),
                    str(branch.get("role")),
                    str(branch["if"]) if branch.get("if") else None,
                    words._("If: %(condition)s", condition=branch["if"])
                    if branch.get("if")
                    else words._("Otherwise"),
                )
                for branch in entry["branches"]
            )
            branched = True
        else:
            ids = [str(r) for r in entry.get("roles", [])] or [str(entry.get("role"))]
            targets = tuple(EscalationTarget(self.role(r), r) for r in ids)
            branched = False
        levels = {t.level for t in targets}
        captions = {t.caption for t in targets}
        one = targets[0] if len(targets) == 1 else None
        return EscalationStep(
            one.role if one is not None else None,
            one.role_id if one is not None else "",
            when,
            captions.pop() if len(captions) == 1 else "",
            levels.pop() if len(levels) == 1 else None,
            one.contact if one is not None else None,
            targets,
            branched,
            words.join((t.name for t in targets), alternatives=True),
        )

    @staticmethod
    def without(goodwill: tuple[Goodwill, ...], types: set[str]) -> tuple[Goodwill, ...]:
        """Goodwill limits with the caps of ``types`` left out (a category's forbidden types)."""
        if not types:
            return goodwill
        kept = (
            Goodwill(g.role, tuple(c for c in g.caps if c.type.id not in types), g.approver, g.documentation)
            for g in goodwill
        )
        return tuple(g for g in kept if g.caps)

    def category_variants(
        self, policy: Ref | None, priority: PriorityView | None, channels: tuple[Ref, ...]
    ) -> tuple[SlaVariant, ...]:
        """The policy's variants that can apply to a category: tiers always, channel variants
        only for the channels the category comes in on (and naming only those)."""
        if policy is None:
            return ()
        mine = {c.id for c in channels}
        found = []
        for variant in self.sla_variants(policy.id):
            shared = tuple(c for c in variant.channels if c.id in mine)
            if variant.channels and not shared:
                continue
            row = next(
                (r for r in variant.rows if priority is not None and r.priority.id == priority.id), None
            )
            who = self._who(variant.tier, shared) if variant.channels else variant.who
            found.append(replace(variant, who=who, channels=shared, row=row))
        return tuple(found)

    def categories(self) -> tuple[CategoryView, ...]:
        """Every category, by area (in the order playbook.yaml states) and then name."""
        return tuple(self.category(c.id) for c in ordered_categories(self.playbook))

    @functools.cache  # noqa: B019
    def category_names(self, *, offline: bool = False) -> tuple[str, ...]:
        """The names of :meth:`categories` in their order (with ``offline``, only those that
        come in through an offline channel, the stores): each form's generated options."""
        return tuple(
            c.name
            for c in self.categories()
            if not offline or any(ch.data.get("family") == "offline" for ch in c.channels)
        )

    # --- KPIs and policy values -----------------------------------------------------------

    def kpi(self, item: Item) -> KpiView:
        data = item.data
        direction = str(data.get("direction", ""))
        target = self.words.kpi_target(data.get("target"), str(data.get("unit", "")), direction)
        owner = self.role(str(data.get("owner"))) if data.get("owner") else None
        unit = str(data.get("unit", ""))
        teams = tuple(
            TeamTarget(
                str(entry.get("group")),
                self.words.group_name(str(entry.get("group"))),
                self.words.kpi_target(entry.get("target"), unit, direction),
                str(entry["notes"]) if entry.get("notes") else None,
            )
            for entry in data.get("team_targets", [])
        )
        return KpiView(item.id, item.name, item, target, self.words.direction(direction), owner, teams)

    def kpis(self) -> tuple[KpiView, ...]:
        return tuple(self.kpi(k) for k in self.playbook.all("kpi"))

    @functools.cached_property
    def policy_values(self) -> dict[str, str]:
        """Each policy value as text shown wherever ``{{ policy.ID }}`` appears."""
        values: dict[str, str] = {}
        for item in self.playbook.all("policy"):
            value, unit = item.data.get("value"), str(item.data.get("unit", "text"))
            if unit in ("text", "count") and not isinstance(value, bool):
                values[item.id] = self.words.number(value) if unit == "count" else str(value)
            else:
                values[item.id] = self.words.measure(value, unit)
        return values

    def policy(self, item: Item) -> PolicyValue:
        owner = self.role(str(item.data["owner"])) if item.data.get("owner") else None
        return PolicyValue(item.id, item.name, item, self.policy_values.get(item.id, ""), owner)


def _get_note(data: Any, path: tuple[str | int, ...]) -> str:
    """The ``review.note`` of the item at ``path`` in a file's data, if it has one."""
    note = review.value_at(data, (*path, "review", "note"))
    return note if isinstance(note, str) else ""
