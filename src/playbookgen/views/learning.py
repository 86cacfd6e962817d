"""Typed views of training modules (timed sections, quiz with answers) and QA scorecards
(weighted items with the points each rating gives)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from playbookgen.durations import parse_duration
from playbookgen.model import Item
from playbookgen.views.typed import PlaybookView, Ref, RoleView
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

AUTHORITY_PDF = "authority-matrix.pdf"
"""The goodwill authority matrix as a landscape poster (A3, or tabloid on Letter paper)."""
PLAYBOOK_PDF = "playbook.pdf"
PRINT_FOLDERS = {"form": "forms", "cheat-sheet": "cheat-sheets", "scorecard": "qa"}
"""Printouts a module names by id, and the folder of their PDFs."""
PRINT_KINDS = {"form": "form", "cheat-sheet": "cheat-sheet", "scorecard": "qa"}
"""The item kind each printout by id names."""


def handout_pdf(module_id: str, handout_id: str) -> str:
    """The PDF of a module's handout, relative to the PDF folder."""
    return f"training/{module_id}-{handout_id}.pdf"


QUESTION_HINTS = {
    "single": N_("Tick one."),
    "multiple": N_("Tick every right answer."),
    "true-false": N_("Tick one."),
    "short": N_("Write your answer."),
}


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
class Printout:
    """Something to print for a session, and the PDF of the build that prints it."""

    kind: str
    """form, cheat-sheet, scorecard, authority-matrix, playbook or handout."""
    id: str
    name: str
    note: str | None
    path: str | None
    """The PDF, relative to the PDF folder; None when nothing prints it (check fails then)."""


@dataclass(frozen=True)
class Card:
    title: str
    text: str


@dataclass(frozen=True)
class Handout:
    """A printout a module writes itself: text, cards to cut out, or both."""

    id: str
    title: str
    content: str | None
    cards: tuple[Card, ...]
    path: str


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
    printouts: tuple[Printout, ...] = ()
    """What to print for the session: the module's own list, then any handout it leaves out."""
    handouts: tuple[Handout, ...] = ()
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


def handouts(item: Item) -> tuple[Handout, ...]:
    """A training module's own handouts, each with the path of its PDF."""
    return tuple(
        Handout(
            str(h.get("id")),
            str(h.get("title", "")),
            str(h["content"]) if h.get("content") else None,
            tuple(Card(str(c.get("title", "")), str(c.get("text", ""))) for c in h.get("cards") or []),
            handout_pdf(item.id, str(h.get("id"))),
        )
        for h in item.data.get("handouts") or []
    )


def printout(view: PlaybookView, item: Item, entry: dict[str, Any]) -> Printout:
    """One entry of a module's ``printouts``, with its name and the PDF that prints it."""
    kind, ident = str(entry.get("print")), str(entry.get("id") or "")
    note = str(entry["note"]) if entry.get("note") else None
    words = view.words
    if kind == "authority-matrix":
        path = AUTHORITY_PDF if view.authority else None
        return Printout(kind, "", words._("Goodwill authority matrix (poster)"), note, path)
    if kind == "playbook":
        return Printout(kind, "", str(view.playbook.settings.get("name", "")), note, PLAYBOOK_PDF)
    if kind == "handout":
        found = next((h for h in handouts(item) if h.id == ident), None)
        return Printout(kind, ident, found.title if found else ident, note, found.path if found else None)
    target = view.playbook.get(PRINT_KINDS.get(kind, kind), ident)
    if target is None or kind not in PRINT_FOLDERS:
        return Printout(kind, ident, ident, note, None)
    return Printout(kind, ident, target.name, note, f"{PRINT_FOLDERS[kind]}/{ident}.pdf")


def printouts(view: PlaybookView, item: Item) -> tuple[Printout, ...]:
    """What to print for the module: its ``printouts`` in order, then handouts it does not list."""
    listed = [printout(view, item, e) for e in item.data.get("printouts") or [] if isinstance(e, dict)]
    named = {p.id for p in listed if p.kind == "handout"}
    rest = [Printout("handout", h.id, h.title, None, h.path) for h in handouts(item) if h.id not in named]
    return (*listed, *rest)


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
        delivery=words.enum(data.get("delivery", "")),
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
        printouts=printouts(view, item),
        handouts=handouts(item),
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
    """The form field of the item's rating group (one per item: ratings exclude each other)."""
    value: str
    """The rating's value in that group: its step, 0 for the lowest."""
    label: str
    points: str


def rating_points(weight: float, step: int, steps: int) -> float:
    """Points for rating ``step`` of ``steps``: the weight × step ÷ top step, rounded half up to
    whole points when the weight is whole (an evaluator adds them with a pen), else to 0.01."""
    exact = weight * step / steps if steps else weight
    if float(weight).is_integer():
        return float(math.floor(exact + 0.5))
    return round(exact, 2)


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
                            f"{section.get('id')}.{entry.get('id')}",
                            str(index),
                            label,
                            number(rating_points(weight, index, steps)),
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
