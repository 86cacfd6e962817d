"""Typed views of the things that are printed whole: forms, recovery scripts, cheat sheets
and the goodwill authority matrix (training modules and QA scorecards: :mod:`.learning`).

Built from :class:`~playbookgen.views.typed.PlaybookView`, so names, money, durations and
labels are derived and worded in one place for the site, print and any later output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from playbookgen.model import Item
from playbookgen.views import FRAMEWORKS
from playbookgen.views.typed import (
    CalendarView,
    Cap,
    CategoryView,
    EscalationStep,
    PartnerDeadlines,
    PlaybookView,
    Ref,
    RoleView,
    SlaVariant,
    Step,
)
from playbookgen.wording import N_, Wording

FIELD_HINTS = {
    "email": N_("name@example.com"),
    "phone": N_("+country number"),
}
PRINTED_OPTIONS = 30
"""A choice field with more options than this prints as a line to write the answer on (with
where to look it up) instead of every option: a generated list of every category of a large
playbook would fill pages of each printed form. The site's page of the form lists them all."""


# --- goodwill authority ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorityRow:
    role: RoleView
    approver: RoleView | None
    documentation: str | None
    highlight: bool
    cells: tuple[Cap | None, ...]
    """One cap per compensation type of the matrix, None where the role has none."""

    @property
    def role_id(self) -> str:
        return self.role.id


@dataclass(frozen=True)
class AuthorityMatrix:
    period: str
    types: tuple[Ref, ...]
    rows: tuple[AuthorityRow, ...]


def authority_matrix(view: PlaybookView, highlight: set[str] | None = None) -> AuthorityMatrix | None:
    """Compensation type × role, with the roles in ``highlight`` marked (a form's approvers)."""
    if not view.authority:
        return None
    types = tuple(Ref(t.id, t.name, t) for t in view.playbook.all("compensation-type"))
    rows = []
    for goodwill in view.goodwill():
        caps = {cap.type.id: cap for cap in goodwill.caps}
        rows.append(
            AuthorityRow(
                goodwill.role,
                goodwill.approver,
                goodwill.documentation,
                bool(highlight) and goodwill.role.id in (highlight or set()),
                tuple(caps.get(t.id) for t in types),
            )
        )
    return AuthorityMatrix(view.period, types, tuple(rows))


# --- forms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    name: str
    """The PDF field name: ``<field id>:<position>``."""
    text: str


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: str
    required: bool
    options: tuple[Option, ...]
    help: str | None
    hint: str | None
    wide: bool
    write_in: str | None = None
    """Set when the options are too many to print (:data:`PRINTED_OPTIONS`): what to write on
    the printed form's line instead, and where the options are listed."""


@dataclass(frozen=True)
class FormSection:
    id: str
    title: str
    help: str | None
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class Approval:
    role: RoleView | None
    role_id: str
    label: str
    prefix: str


@dataclass(frozen=True)
class FormView(Ref):
    purpose: str = ""
    owner: RoleView | None = None
    activity: Ref | None = None
    retention: str | None = None
    sections: tuple[FormSection, ...] = ()
    approvals: tuple[Approval, ...] = ()
    authority: AuthorityMatrix | None = None

    @property
    def title(self) -> str:
        return self.name


def field_options(view: PlaybookView, field: dict[str, Any]) -> list[str]:
    """A choice field's options: generated ones first (``options_from``), then those written."""
    source = field.get("options_from")
    generated: tuple[str, ...] = ()
    if source in ("categories", "offline-categories"):
        generated = view.category_names(offline=source == "offline-categories")
    return [*generated, *(str(option) for option in field.get("options", []))]


def _write_in(words: Wording, field: dict[str, Any], count: int) -> str | None:
    """What a printed form says under the line of a choice field with too many options to
    print (None when they all print): what to write and where the options are listed."""
    if count <= PRINTED_OPTIONS or field.get("type") not in ("choice", "multi-choice"):
        return None
    many = field.get("type") == "multi-choice"
    if not field.get("options_from"):
        if many:
            return words._(
                "Write the options that apply, as listed for this field on the form's page in the playbook."
            )
        return words._("Write one of the options listed for this field on the form's page in the playbook.")
    if many:
        said = words._(
            "Write the name of each case category that applies, as the playbook's category list gives it."
        )
    else:
        said = words._("Write the case category's name as the playbook's category list gives it.")
    extra = [str(option) for option in field.get("options", [])]
    if extra:
        said += " " + words._("Or write: %(options)s.", options=" / ".join(extra))
    return said


def _field_hint(words: Wording, kind: str) -> str | None:
    """What to write in a field, shown under it: the locale's date pattern for a date."""
    if kind == "date":
        return words.date_hint()
    if kind == "time":
        return words.time_hint()
    if kind == "datetime":
        return words.datetime_hint()
    return words._(FIELD_HINTS[kind]) if kind in FIELD_HINTS else None


def form(view: PlaybookView, item: Item) -> FormView:
    """A printable form: sections and fields, approvals, and the authority matrix when the
    form records compensation."""
    words, data = view.words, item.data
    compensation = data.get("activity") == "approve-goodwill"
    sections = []
    for section in data.get("sections", []):
        fields = []
        for field in section.get("fields", []):
            kind = str(field.get("type", "text"))
            compensation = compensation or field.get("captures") == "compensation"
            options = field_options(view, field)
            fields.append(
                FormField(
                    str(field.get("id")),
                    str(field.get("label", "")),
                    kind,
                    bool(field.get("required")),
                    tuple(
                        Option(f"{field.get('id')}:{index}", str(option))
                        for index, option in enumerate(options, start=1)
                    ),
                    field.get("help"),
                    _field_hint(words, kind),
                    kind in ("textarea", "multi-choice"),
                    _write_in(words, field, len(options)),
                )
            )
        sections.append(
            FormSection(
                str(section.get("id")), str(section.get("title", "")), section.get("help"), tuple(fields)
            )
        )
    approvals = tuple(
        Approval(
            view.role(str(approval.get("role"))),
            str(approval.get("role")),
            str(approval.get("label", "")),
            f"approval-{index}-{approval.get('role')}",
        )
        for index, approval in enumerate(data.get("approvals", []), start=1)
    )
    approvers = {a.role_id for a in approvals}
    return FormView(
        item.id,
        item.name,
        item,
        purpose=str(data.get("purpose", "")),
        owner=view.role(str(data.get("owner"))),
        activity=view.ref("activity", data.get("activity")),
        retention=words.duration(data["retention"]) if data.get("retention") else None,
        sections=tuple(sections),
        approvals=approvals,
        authority=authority_matrix(view, highlight=approvers) if compensation else None,
    )


# --- recovery scripts -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryStep:
    stage: str
    guidance: str
    say: tuple[Any, ...]
    avoid: tuple[Any, ...]
    owner: RoleView | None = None


@dataclass(frozen=True)
class Offer:
    type: Ref | None
    amount: str
    when: str
    approved_by: RoleView | None


@dataclass(frozen=True)
class RecoveryView(Ref):
    scenario: str = ""
    framework: str = ""
    stages: str = ""
    """The framework's stages in words: 'Listen, Apologise, Solve, Thank'."""
    channels: tuple[Ref, ...] = ()
    owner: RoleView | None = None
    steps: tuple[RecoveryStep, ...] = ()
    compensation: tuple[Offer, ...] = ()


def recovery(view: PlaybookView, item: Item) -> RecoveryView:
    """A service-recovery script: its stages with phrases to say and avoid, and what it offers."""
    data = item.data
    return RecoveryView(
        item.id,
        item.name,
        item,
        scenario=str(data.get("scenario", "")),
        framework=str(data.get("framework", "")),
        stages=", ".join(view.words.stage_name(s) for s in FRAMEWORKS.get(str(data.get("framework")), ())),
        channels=view.refs("channel", data.get("channels", [])),
        owner=view.role(str(data.get("owner"))),
        steps=tuple(
            RecoveryStep(
                view.words.stage_name(str(s.get("stage"))),
                str(s.get("guidance", "")),
                tuple(s.get("say", [])),
                tuple(s.get("avoid", [])),
                view.role(str(s["owner"])) if s.get("owner") else None,
            )
            for s in data.get("steps", [])
        ),
        compensation=tuple(
            Offer(
                view.ref("compensation-type", c.get("type")),
                view.words.money(c.get("amount")),
                str(c.get("when", "")),
                view.role(str(c["approved_by"])) if c.get("approved_by") else None,
            )
            for c in data.get("compensation", [])
        ),
    )


# --- cheat sheets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetCategory:
    """A category as one role's cheat sheet shows it: only the steps that role takes
    (resolve-now steps first; its later steps when it has none to do at once), and where it
    escalates. When the role has no step at all, ``handover`` names whom it hands the case
    to instead — never another role's steps."""

    view: CategoryView
    sheet_steps: tuple[Step, ...]
    sheet_escalation: tuple[EscalationStep, ...]
    later: bool = False
    """True when ``sheet_steps`` are the role's later (not resolve-now) steps."""
    handover: str | None = None
    """Whom the role hands the case over to, in words, when it has no step of its own."""
    variants: tuple[SlaVariant, ...] = ()
    """The category's other SLA targets that reach this sheet's channels (and every tier)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.view, name)


@dataclass(frozen=True)
class Contact:
    name: str
    how: str | None
    hours: str | None = None
    level: int | None = None


@dataclass(frozen=True)
class RoleLimits:
    approver: RoleView | None
    documentation: str | None
    period: str
    caps: tuple[Cap, ...]


@dataclass(frozen=True)
class CheatSheetView(Ref):
    title: str = ""
    role: RoleView | None = None
    family: str = ""
    channels: tuple[Ref, ...] = ()
    categories: tuple[SheetCategory, ...] = ()
    contacts: tuple[Contact, ...] = ()
    official: tuple[Contact, ...] = ()
    limits: RoleLimits | None = None
    phrases: tuple[Any, ...] = ()
    calendars: tuple[tuple[str, str], ...] = ()
    deadlines: tuple[tuple[str, PartnerDeadlines], ...] = ()
    """(channel name, the partner's deadlines) for the sheet's channels that have them."""


def _above(step: EscalationStep, level: int | None) -> bool:
    """Whether a step up goes above ``level`` for some role of the step (partner teams,
    without a level, always count): a sheet lists only where its audience escalates to."""
    if level is None:
        return True
    return any(t.level is None or t.level > level for t in step.targets)


def handover(category: CategoryView, role_id: str) -> str | None:
    """Whom a role with no step in ``category`` hands the case to: the first step up its
    escalation path that is not the role itself ('Store manager or BPO team lead'), else
    the category's owner."""
    for step in category.escalation:
        if role_id not in step.role_ids:
            return step.names
    if category.owner is not None and category.owner.id != role_id:
        return category.owner.name
    return None


def _coming_special_hours(view: PlaybookView, calendar: CalendarView) -> str:
    """A calendar's special hours in the year from the playbook's effective date, in one line
    (a printed sheet lives about that long)."""
    effective = str(view.playbook.settings.get("effective_date", ""))
    try:
        start = date.fromisoformat(effective)
    except ValueError:
        return calendar.special_words
    end = start + timedelta(days=366)
    words = view.words
    return words.join(
        words._("%(day)s (%(name)s) %(hours)s", day=d.day, name=d.name, hours=d.hours)
        for d in calendar.special_hours
        if start.isoformat() <= d.date < end.isoformat()
    )


def cheat_sheet(view: PlaybookView, item: Item) -> CheatSheetView:
    """One role's one-page sheet: its steps per category, whom to call, its goodwill caps."""
    data = item.data
    role_id = str(data.get("role"))
    own = view.role(role_id)
    level = own.level.number if own is not None and own.level is not None else None
    categories = []
    for category_id in data.get("categories", []):
        if view.playbook.get("category", str(category_id)) is None:
            continue
        category = view.category(str(category_id))
        now = tuple(s for s in category.resolve_now if s.owner_id == role_id)
        later = tuple(s for s in category.escalate if s.owner_id == role_id)
        sheet_channels = set(data.get("channels") or [c.id for c in category.channels])
        categories.append(
            SheetCategory(
                category,
                now or later,
                tuple(e for e in category.escalation if role_id not in e.role_ids and _above(e, level)),
                later=not now and bool(later),
                handover=None if now or later else handover(category, role_id),
                variants=view.category_variants(
                    category.policy,
                    category.priority,
                    tuple(c for c in category.channels if c.id in sheet_channels),
                ),
            )
        )
    contacts: dict[str, Contact] = {}
    for sheet_category in categories:
        for step in sheet_category.sheet_escalation:
            for target in step.targets:
                if target.role_id != role_id and target.role_id not in contacts:
                    contacts[target.role_id] = Contact(target.name, target.contact, level=target.level)
    official = tuple(
        Contact(
            c.name,
            ", ".join(str(c.data[k]) for k in ("phone", "email") if c.data.get(k)),
            c.data.get("hours"),
        )
        for c in view.playbook.all("contact")
        if c.data.get("audience") == "staff"
    )
    calendars: dict[str, str] = {}
    for sheet_category in categories:
        sla = sheet_category.view.sla
        if sla is not None and sla.clock == "business" and sla.calendar is not None:
            calendar = sla.calendar
            days = _coming_special_hours(view, calendar)
            calendars[calendar.name] = (
                view.words._("%(hours)s; special hours: %(days)s", hours=sla.hours, days=days)
                if days
                else sla.hours
            )
    goodwill = view.goodwill([role_id])
    limits = (
        RoleLimits(goodwill[0].approver, goodwill[0].documentation, view.period, goodwill[0].caps)
        if goodwill
        else None
    )
    return CheatSheetView(
        item.id,
        str(data.get("title", item.id)),
        item,
        title=str(data.get("title", item.id)),
        role=view.role(role_id),
        family=str(data.get("family", "")),
        channels=view.refs("channel", data.get("channels", [])),
        categories=tuple(categories),
        contacts=tuple(sorted(contacts.values(), key=lambda c: (c.level or 99, c.name))),
        official=official,
        limits=limits,
        phrases=tuple(data.get("phrases", [])),
        calendars=tuple(sorted(calendars.items())),
        deadlines=tuple(
            (channel.name, channel.deadlines)
            for channel_id in data.get("channels", [])
            if (channel := view.channel(str(channel_id))) is not None and channel.deadlines is not None
        ),
    )
