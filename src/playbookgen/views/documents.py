"""Typed views of the things that are printed whole: forms, training modules, QA scorecards,
recovery scripts, cheat sheets and the goodwill authority matrix.

Built from :class:`~playbookgen.views.typed.PlaybookView`, so names, money, durations and
labels are derived and worded in one place for the site, print and any later output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbookgen.durations import parse_duration
from playbookgen.model import Item
from playbookgen.views import FRAMEWORKS
from playbookgen.views.typed import Cap, CategoryView, EscalationStep, PlaybookView, Ref, RoleView, Step
from playbookgen.wording import N_

SCALES: dict[str, tuple[str, ...]] = {
    "binary": (N_("Not met"), N_("Met")),
    "3-point": (N_("Not met"), N_("Partly met"), N_("Met")),
    "4-point": (N_("Poor"), N_("Fair"), N_("Good"), N_("Excellent")),
    "5-point": ("1", "2", "3", "4", "5"),
}
FAIL_EFFECTS = {
    "zero-section": N_("failing it scores the whole section 0"),
    "zero-review": N_("failing it scores the whole review 0"),
}
FIELD_HINTS = {
    "date": "YYYY-MM-DD",
    "time": "HH:MM",
    "datetime": "YYYY-MM-DD HH:MM",
    "email": N_("name@example.com"),
    "phone": N_("+country number"),
}
QUESTION_HINTS = {
    "single": N_("Tick one."),
    "multiple": N_("Tick every right answer."),
    "true-false": N_("Tick one."),
    "short": N_("Write your answer."),
}


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
            fields.append(
                FormField(
                    str(field.get("id")),
                    str(field.get("label", "")),
                    kind,
                    bool(field.get("required")),
                    tuple(
                        Option(f"{field.get('id')}:{index}", str(option))
                        for index, option in enumerate(field.get("options", []), start=1)
                    ),
                    field.get("help"),
                    words._(FIELD_HINTS[kind]) if kind in FIELD_HINTS else None,
                    kind in ("textarea", "multi-choice"),
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


# --- training -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    title: str
    instructions: str
    duration: str | None


@dataclass(frozen=True)
class TrainingSection:
    number: int
    id: str
    title: str
    duration: str
    start: str
    """Clock time from the start of the session, 'H:MM'."""
    end: str
    objectives: tuple[str, ...]
    content: str
    key_points: tuple[Any, ...]
    exercises: tuple[Exercise, ...]
    trainer_notes: str | None


@dataclass(frozen=True)
class QuizOption:
    letter: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    number: int
    id: str
    type: str
    prompt: str
    options: tuple[QuizOption, ...]
    answer: str
    explanation: str | None
    hint: str


@dataclass(frozen=True)
class Quiz:
    pass_mark: Any
    attempts: Any
    questions: tuple[Question, ...]

    @property
    def count(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class Certification:
    name: str
    validity: str


@dataclass(frozen=True)
class PolicyCover:
    id: str
    name: str
    value: str


@dataclass(frozen=True)
class TrainingView(Ref):
    summary: str = ""
    audience: tuple[RoleView, ...] = ()
    delivery: str = ""
    duration: str = ""
    scheduled: str | None = None
    prerequisites: tuple[Ref, ...] = ()
    objectives: tuple[str, ...] = ()
    categories: tuple[Ref, ...] = ()
    policies: tuple[PolicyCover, ...] = ()
    forms: tuple[Ref, ...] = ()
    materials: tuple[Any, ...] = ()
    sections: tuple[TrainingSection, ...] = ()
    quiz: Quiz = Quiz(None, None, ())
    certification: Certification | None = None

    @property
    def title(self) -> str:
        return self.name


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _question(view: PlaybookView, number: int, question: dict[str, Any]) -> Question:
    words = view.words
    kind = str(question.get("type", "single"))
    options = tuple(
        QuizOption(chr(ord("A") + i), str(o.get("text", "")), bool(o.get("correct")))
        for i, o in enumerate(question.get("options", []))
    )
    if kind == "true-false":
        value = question.get("answer")
        true, false = words._("True"), words._("False")
        answer = true if value is True else false if value is False else str(value)
        options = (QuizOption("", true, value is True), QuizOption("", false, value is False))
    elif kind == "short":
        answer = str(question.get("answer", ""))
    else:
        answer = ", ".join(f"{o.letter} ({o.text})" for o in options if o.correct)
    hint = words._(QUESTION_HINTS[kind]) if kind in QUESTION_HINTS else ""
    return Question(
        number,
        str(question.get("id")),
        kind,
        str(question.get("prompt", "")),
        options,
        answer,
        question.get("explanation"),
        hint,
    )


def training(view: PlaybookView, item: Item) -> TrainingView:
    """A training module with its timed sections and quiz (answers for the trainer edition)."""
    words, data = view.words, item.data
    objectives = {o.get("id"): str(o.get("text", "")) for o in data.get("objectives", [])}
    sections = []
    elapsed = 0
    for number, section in enumerate(data.get("sections", []), start=1):
        length = parse_duration(section.get("duration"))
        minutes = int(length.total_seconds() // 60) if length is not None else 0
        sections.append(
            TrainingSection(
                number,
                str(section.get("id")),
                str(section.get("title", "")),
                words.duration(section.get("duration", "")),
                _clock(elapsed),
                _clock(elapsed + minutes),
                tuple(objectives.get(o, str(o)) for o in section.get("objectives", [])),
                str(section.get("content", "")),
                tuple(section.get("key_points", [])),
                tuple(
                    Exercise(
                        str(ex.get("title", "")),
                        str(ex.get("instructions", "")),
                        words.duration(ex["duration"]) if ex.get("duration") else None,
                    )
                    for ex in section.get("exercises", [])
                ),
                section.get("trainer_notes"),
            )
        )
        elapsed += minutes
    quiz = data.get("quiz", {})
    covers = data.get("covers", {})
    certification = data.get("certification")
    return TrainingView(
        item.id,
        item.name,
        item,
        summary=str(data.get("summary", "")),
        audience=view.roles(data.get("audience", [])),
        delivery=str(data.get("delivery", "")).replace("-", " "),
        duration=words.duration(data.get("duration", "")),
        scheduled=words.duration(f"PT{elapsed}M") if elapsed else None,
        prerequisites=view.refs("training", data.get("prerequisites", [])),
        objectives=tuple(objectives.values()),
        categories=view.refs("category", covers.get("categories", [])),
        policies=tuple(
            PolicyCover(str(p), view.name("policy", p), view.policy_values.get(str(p), ""))
            for p in covers.get("policies", [])
        ),
        forms=view.refs("form", covers.get("forms", [])),
        materials=tuple(data.get("materials", [])),
        sections=tuple(sections),
        quiz=Quiz(
            quiz.get("pass_mark"),
            quiz.get("attempts"),
            tuple(_question(view, n, q) for n, q in enumerate(quiz.get("questions", []), start=1)),
        ),
        certification=Certification(
            str(certification.get("name", "")), words.duration(certification.get("validity", ""))
        )
        if isinstance(certification, dict)
        else None,
    )


# --- QA scorecards --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    name: str
    label: str
    points: str


@dataclass(frozen=True)
class ScoreItem:
    id: str
    text: str
    weight: str
    scale: str
    ratings: tuple[Rating, ...]
    critical: bool
    fail_effect: str
    na_allowed: bool
    guidance: str | None
    section: str = ""
    trains: tuple[Ref, ...] = ()
    """Training modules that teach what this item checks."""


@dataclass(frozen=True)
class ScoreSection:
    id: str
    title: str
    items: tuple[ScoreItem, ...]
    weight: str


@dataclass(frozen=True)
class Calibration:
    frequency: str
    sample: Any
    participants: tuple[RoleView, ...]
    baseline: RoleView | None
    objective: str
    subjective: str
    method: str | None


@dataclass(frozen=True)
class ScorecardView(Ref):
    description: str | None = None
    channels: tuple[Ref, ...] = ()
    audience: tuple[RoleView, ...] = ()
    evaluator: RoleView | None = None
    pass_mark: str = ""
    sections: tuple[ScoreSection, ...] = ()
    total: str = ""
    calibration: Calibration | None = None

    @property
    def critical(self) -> tuple[ScoreItem, ...]:
        return tuple(i for s in self.sections for i in s.items if i.critical)


def scorecard(view: PlaybookView, item: Item) -> ScorecardView:
    """A QA scorecard with the points each rating gives."""
    words, data = view.words, item.data
    number = words.number
    sections = []
    total = 0.0
    for section in data.get("sections", []):
        entries = []
        section_weight = 0.0
        for entry in section.get("items", []):
            weight = float(entry.get("weight", 0))
            section_weight += weight
            labels = [words._(label) for label in SCALES.get(str(entry.get("scale")), SCALES["binary"])]
            steps = len(labels) - 1
            effect = str(entry.get("fail_effect"))
            entries.append(
                ScoreItem(
                    str(entry.get("id")),
                    str(entry.get("text", "")),
                    number(weight),
                    str(entry.get("scale")),
                    tuple(
                        Rating(
                            f"{section.get('id')}.{entry.get('id')}:{index}",
                            label,
                            number(round(weight * index / steps, 2)),
                        )
                        for index, label in enumerate(labels)
                    ),
                    bool(entry.get("critical")),
                    words._(FAIL_EFFECTS[effect]) if entry.get("critical") and effect in FAIL_EFFECTS else "",
                    bool(entry.get("na_allowed")),
                    entry.get("guidance"),
                    str(section.get("title", "")),
                    view.refs("training", (t.get("module") for t in entry.get("trains", []))),
                )
            )
        total += section_weight
        sections.append(
            ScoreSection(
                str(section.get("id")), str(section.get("title", "")), tuple(entries), number(section_weight)
            )
        )
    calibration = data.get("calibration")
    return ScorecardView(
        item.id,
        item.name,
        item,
        description=data.get("description"),
        channels=view.refs("channel", data.get("channels", [])),
        audience=view.roles(data.get("audience", [])),
        evaluator=view.role(str(data["evaluator"])) if data.get("evaluator") else None,
        pass_mark=number(float(data.get("pass_mark", 0))),
        sections=tuple(sections),
        total=number(total),
        calibration=Calibration(
            str(calibration.get("frequency", "")),
            calibration.get("sample"),
            view.roles(calibration.get("participants", [])),
            view.role(str(calibration["baseline"])) if calibration.get("baseline") else None,
            number(float(calibration.get("agreement_objective", 0))),
            number(float(calibration.get("agreement_subjective", 0))),
            calibration.get("method"),
        )
        if isinstance(calibration, dict)
        else None,
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
    """A category as one role's cheat sheet shows it: the steps that role takes now, and
    where it escalates."""

    view: CategoryView
    sheet_steps: tuple[Step, ...]
    sheet_escalation: tuple[EscalationStep, ...]

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


def cheat_sheet(view: PlaybookView, item: Item) -> CheatSheetView:
    """One role's one-page sheet: its steps per category, whom to call, its goodwill caps."""
    data = item.data
    role_id = str(data.get("role"))
    categories = []
    for category_id in data.get("categories", []):
        if view.playbook.get("category", str(category_id)) is None:
            continue
        category = view.category(str(category_id))
        own = tuple(s for s in category.resolve_now if s.owner_id == role_id)
        categories.append(
            SheetCategory(
                category,
                own or category.resolve_now,
                tuple(e for e in category.escalation if e.role_id != role_id),
            )
        )
    contacts: dict[str, Contact] = {}
    for sheet_category in categories:
        for step in sheet_category.view.escalation:
            if step.role_id != role_id and step.role_id not in contacts:
                contacts[step.role_id] = Contact(
                    str(step.role or step.role_id), step.contact, level=step.level
                )
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
            calendars[sla.calendar.name] = sla.hours
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
    )
