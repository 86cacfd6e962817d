"""Print documents as HTML: the view of the model each printout needs, filled into the
Jinja templates under ``templates/print/``. WeasyPrint turns the HTML into PDF (render/pdf.py).

Everything from YAML reaches the HTML escaped: Jinja autoescapes, and text fields go through
:func:`print_markdown`, which escapes first and only then adds the few tags it knows.
"""

from __future__ import annotations

import base64
import os
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from playbookgen import text, views
from playbookgen.durations import parse_duration
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render import environment, svg
from playbookgen.views.typed import CategoryView, EscalationStep, PlaybookView, RaciMatrix, Step
from playbookgen.wording import N_, Wording

PAPER_SIZES: dict[str, str] = {"A4": "A4", "Letter": "letter"}
"""playbook.yaml ``paper`` → CSS ``@page { size }``."""
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


@dataclass(frozen=True)
class PrintDoc:
    """One print document: where its PDF goes, its HTML, and the item it comes from."""

    relpath: str
    kind: str
    title: str
    html: str
    source: Item | None = None
    one_page: bool = False


def build_moment(playbook: Playbook) -> datetime:
    """The build date stamped on every printout: ``SOURCE_DATE_EPOCH`` when it is set
    (reproducible builds), otherwise midnight UTC of the playbook's effective date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise PlaybookError(
                [
                    Problem(
                        "SOURCE_DATE_EPOCH",
                        1,
                        1,
                        "source-date-epoch",
                        "error",
                        f"the environment variable SOURCE_DATE_EPOCH is '{epoch}'; set it to a whole number "
                        "of seconds since 1970-01-01 (e.g. $(git log -1 --format=%ct)) or unset it",
                    )
                ]
            )
        return datetime.fromtimestamp(int(epoch), UTC)
    effective = str(playbook.settings.get("effective_date", "1970-01-01"))
    try:
        return datetime.strptime(effective, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)


# --- text -----------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_CODE = re.compile(r"`([^`]+)`")


def _inline(line: str) -> str:
    """Escaped text with **bold**, *italic* and `code` turned into tags."""
    html = escape(line, quote=False)
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    return _EMPHASIS.sub(r"<em>\1</em>", html)


def print_inline(value: object, values: Mapping[str, str] | None = None) -> Markup:
    """One line of Markdown-ish text for a table cell: policy values filled, links reduced
    to their label, HTML escaped, emphasis kept."""
    return Markup(_inline(" ".join(breakable(text.plain(str(value), values)).split())))


_LONG_WORD = re.compile(r"\S{30,}")


def breakable(value: str) -> str:
    """``value`` with an invisible break opportunity (U+200B) every 20 characters of a very
    long word, so that it wraps instead of running off the page. (CSS ``overflow-wrap:
    anywhere`` would do the same for every word and makes WeasyPrint's table layout several
    times slower.)"""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return "\u200b".join(word[i : i + 20] for i in range(0, len(word), 20))

    return _LONG_WORD.sub(split, value)


def print_markdown(value: object, values: Mapping[str, str] | None = None) -> Markup:
    """Markdown-ish text as print HTML: paragraphs, bullet and numbered lists, emphasis.
    Everything else is escaped text."""
    plain = breakable(text.plain(str(value), values)).strip()
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", plain):
        runs: list[tuple[str, list[str]]] = []
        for raw in block.splitlines():
            if not raw.strip():
                continue
            if bullet := _BULLET.match(raw):
                kind, line = "ul", bullet.group(1)
            elif number := _NUMBERED.match(raw):
                kind, line = "ol", number.group(1)
            elif runs and runs[-1][0] in ("ul", "ol") and raw.startswith((" ", "\t")):
                runs[-1][1][-1] += " " + raw.strip()
                continue
            else:
                kind, line = "p", raw.strip()
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(line)
            else:
                runs.append((kind, [line]))
        for kind, lines in runs:
            if kind == "p":
                parts.append(f"<p>{_inline(' '.join(lines))}</p>")
            else:
                items = "".join(f"<li>{_inline(line)}</li>" for line in lines)
                parts.append(f"<{kind}>{items}</{kind}>")
    return Markup("\n".join(parts))


@dataclass(frozen=True)
class PrintCategory:
    """A category's typed view with what print adds: its diagram, and on a cheat sheet the
    steps and escalation the sheet's role acts on."""

    view: CategoryView
    diagram: dict[str, str] | None = None
    sheet_steps: tuple[Step, ...] = ()
    sheet_escalation: tuple[EscalationStep, ...] = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.view, name)


# --- views ----------------------------------------------------------------------------------


class Views:
    """The derived data every print template reads, built once per playbook."""

    def __init__(self, playbook: Playbook, moment: datetime) -> None:
        self.playbook = playbook
        self.moment = moment
        self.view = PlaybookView(playbook)
        self.words: Wording = self.view.words
        self.values = self.view.policy_values
        self.currency = self.words.currency
        settings = playbook.settings
        paper = str(settings.get("paper", "A4"))
        organisation = settings.get("organisation") or {}
        self.masthead: dict[str, Any] = {
            "name": str(settings.get("name", "Playbook")),
            "organisation": str(organisation.get("name", "")),
            "legal_name": str(organisation.get("legal_name") or organisation.get("name", "")),
            "website": str(organisation.get("website", "")),
            "description": str(organisation.get("description", "")),
            "version": str(settings.get("version", "")),
            "effective_date": str(settings.get("effective_date", "")),
            "build_date": moment.strftime("%Y-%m-%d"),
            "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lang": self.words.tag,
            "paper": paper if paper in PAPER_SIZES else "A4",
            "paper_css": PAPER_SIZES.get(paper, "A4"),
            "currency": self.currency,
        }

    # small helpers the templates call
    def name(self, kind: str, item_id: object) -> str:
        item = self.playbook.get(kind, str(item_id))
        return item.name if item is not None else str(item_id)

    def money(self, amount: object) -> str:
        return self.words.money(amount)

    def priority_label(self, priority: Item | None) -> str:
        found = self.view.priority(priority.id) if priority is not None else None
        return found.label if found is not None else "—"

    def escalation_diagram(self, category: Item) -> dict[str, str]:
        """The category's escalation diagram (the site's SVG) as a data: URI, with its alt text."""
        return {
            "src": _svg_uri(svg.escalation_svg(self.view.category(category.id), self.words)),
            "alt": svg.describe_path(self.view.category(category.id), self.words),
        }

    # categories
    def category(self, item: Item, *, diagram: bool = False) -> PrintCategory:
        return PrintCategory(self.view.category(item.id), self.escalation_diagram(item) if diagram else None)

    def categories(self, *, diagram: bool = False) -> list[PrintCategory]:
        return [
            PrintCategory(c, self.escalation_diagram(c.item) if diagram and c.item is not None else None)
            for c in self.view.categories()
        ]

    # authority
    def authority(self, highlight: set[str] | None = None) -> dict[str, Any] | None:
        doc = self.playbook.file("authority")
        if doc is None or not isinstance(doc.data, dict):
            return None
        types = self.playbook.all("compensation-type")
        rows = []
        for entry in doc.data.get("limits", []):
            caps = {cap.get("type"): cap for cap in entry.get("caps", [])}
            rows.append(
                {
                    "role": self.name("role", entry.get("role")),
                    "role_id": entry.get("role"),
                    "approver": self.name("role", entry["approver"]) if entry.get("approver") else "—",
                    "documentation": entry.get("documentation"),
                    "highlight": bool(highlight) and entry.get("role") in (highlight or set()),
                    "cells": [
                        (
                            {
                                "per_case": self.money(caps[t.id].get("per_case")),
                                "per_customer": self.money(caps[t.id].get("per_customer")),
                            }
                            if t.id in caps
                            else None
                        )
                        for t in types
                    ],
                }
            )
        return {
            "period": self.view.period,
            "types": [{"name": t.name, "description": t.data.get("description", "")} for t in types],
            "rows": rows,
        }

    def role_limits(self, role_id: str) -> dict[str, Any] | None:
        entry = views.authority_for(self.playbook, role_id)
        if entry is None:
            return None
        doc = self.playbook.file("authority")
        period = doc.data.get("period", "") if doc is not None and isinstance(doc.data, dict) else ""
        return {
            "approver": self.name("role", entry["approver"]) if entry.get("approver") else None,
            "documentation": entry.get("documentation"),
            "period": self.words.duration(period),
            "caps": [
                {
                    "type": self.name("compensation-type", cap.get("type")),
                    "per_case": self.money(cap.get("per_case")),
                    "per_customer": self.money(cap.get("per_customer")),
                }
                for cap in entry.get("caps", [])
            ],
        }

    # forms
    def form(self, item: Item) -> dict[str, Any]:
        data = item.data
        sections = []
        compensation = data.get("activity") == "approve-goodwill"
        for section in data.get("sections", []):
            fields = []
            for field in section.get("fields", []):
                kind = str(field.get("type", "text"))
                compensation = compensation or field.get("captures") == "compensation"
                fields.append(
                    {
                        "id": field.get("id"),
                        "label": field.get("label", ""),
                        "type": kind,
                        "required": bool(field.get("required")),
                        "options": [
                            {"name": f"{field.get('id')}:{index}", "text": option}
                            for index, option in enumerate(field.get("options", []), start=1)
                        ],
                        "help": field.get("help"),
                        "hint": self.words._(FIELD_HINTS[kind]) if kind in FIELD_HINTS else None,
                        "wide": kind in ("textarea", "multi-choice"),
                    }
                )
            sections.append(
                {
                    "id": section.get("id"),
                    "title": section.get("title", ""),
                    "help": section.get("help"),
                    "fields": fields,
                }
            )
        approvals = [
            {
                "role": self.name("role", approval.get("role")),
                "role_id": approval.get("role"),
                "label": approval.get("label", ""),
                "prefix": f"approval-{index}-{approval.get('role')}",
            }
            for index, approval in enumerate(data.get("approvals", []), start=1)
        ]
        approvers = {str(a["role_id"]) for a in approvals}
        return {
            "id": item.id,
            "title": item.name,
            "purpose": data.get("purpose", ""),
            "owner": self.name("role", data.get("owner")),
            "activity": self.name("activity", data.get("activity")),
            "retention": self.words.duration(data["retention"]) if data.get("retention") else None,
            "sections": sections,
            "approvals": approvals,
            "authority": self.authority(highlight=approvers) if compensation else None,
        }

    # training
    def training(self, item: Item) -> dict[str, Any]:
        data = item.data
        objectives = {o.get("id"): o.get("text", "") for o in data.get("objectives", [])}
        sections = []
        elapsed = 0
        for number, section in enumerate(data.get("sections", []), start=1):
            length = parse_duration(section.get("duration"))
            minutes = int(length.total_seconds() // 60) if length is not None else 0
            sections.append(
                {
                    "number": number,
                    "id": section.get("id"),
                    "title": section.get("title", ""),
                    "duration": self.words.duration(section.get("duration", "")),
                    "start": _clock(elapsed),
                    "end": _clock(elapsed + minutes),
                    "objectives": [objectives.get(o, o) for o in section.get("objectives", [])],
                    "content": section.get("content", ""),
                    "key_points": section.get("key_points", []),
                    "exercises": [
                        {
                            "title": ex.get("title", ""),
                            "instructions": ex.get("instructions", ""),
                            "duration": self.words.duration(ex["duration"]) if ex.get("duration") else None,
                        }
                        for ex in section.get("exercises", [])
                    ],
                    "trainer_notes": section.get("trainer_notes"),
                }
            )
            elapsed += minutes
        quiz = data.get("quiz", {})
        questions = []
        for number, question in enumerate(quiz.get("questions", []), start=1):
            kind = str(question.get("type", "single"))
            options = [
                {"letter": chr(ord("A") + i), "text": o.get("text", ""), "correct": bool(o.get("correct"))}
                for i, o in enumerate(question.get("options", []))
            ]
            if kind == "true-false":
                answer_value = question.get("answer")
                true, false = self.words._("True"), self.words._("False")
                answer = (
                    true if answer_value is True else false if answer_value is False else str(answer_value)
                )
                options = [
                    {"letter": "", "text": true, "correct": answer_value is True},
                    {"letter": "", "text": false, "correct": answer_value is False},
                ]
            elif kind == "short":
                answer = str(question.get("answer", ""))
            else:
                answer = ", ".join(f"{o['letter']} ({o['text']})" for o in options if o["correct"])
            questions.append(
                {
                    "number": number,
                    "id": question.get("id"),
                    "type": kind,
                    "prompt": question.get("prompt", ""),
                    "options": options,
                    "answer": answer,
                    "explanation": question.get("explanation"),
                    "hint": {
                        "single": self.words._("Tick one."),
                        "multiple": self.words._("Tick every right answer."),
                        "true-false": self.words._("Tick one."),
                        "short": self.words._("Write your answer."),
                    }.get(kind, ""),
                }
            )
        covers = data.get("covers", {})
        certification = data.get("certification")
        return {
            "id": item.id,
            "title": item.name,
            "summary": data.get("summary", ""),
            "audience": [self.name("role", r) for r in data.get("audience", [])],
            "delivery": str(data.get("delivery", "")).replace("-", " "),
            "duration": self.words.duration(data.get("duration", "")),
            "scheduled": self.words.duration(f"PT{elapsed}M") if elapsed else None,
            "prerequisites": [self.name("training", p) for p in data.get("prerequisites", [])],
            "objectives": list(objectives.values()),
            "categories": [self.name("category", c) for c in covers.get("categories", [])],
            "policies": [
                {"name": self.name("policy", p), "value": self.values.get(p, "")}
                for p in covers.get("policies", [])
            ],
            "forms": [self.name("form", f) for f in covers.get("forms", [])],
            "materials": data.get("materials", []),
            "sections": sections,
            "quiz": {
                "pass_mark": quiz.get("pass_mark"),
                "attempts": quiz.get("attempts"),
                "questions": questions,
                "count": len(questions),
            },
            "certification": (
                {
                    "name": certification.get("name", ""),
                    "validity": self.words.duration(certification.get("validity", "")),
                }
                if isinstance(certification, dict)
                else None
            ),
        }

    # QA
    def scorecard(self, item: Item) -> dict[str, Any]:
        data = item.data
        sections = []
        total = 0.0
        for section in data.get("sections", []):
            entries = []
            section_weight = 0.0
            for entry in section.get("items", []):
                weight = float(entry.get("weight", 0))
                section_weight += weight
                labels = [
                    self.words._(label) for label in SCALES.get(str(entry.get("scale")), SCALES["binary"])
                ]
                steps = len(labels) - 1
                entries.append(
                    {
                        "id": entry.get("id"),
                        "text": entry.get("text", ""),
                        "weight": _number(weight),
                        "scale": entry.get("scale"),
                        "ratings": [
                            {
                                "name": f"{section.get('id')}.{entry.get('id')}:{index}",
                                "label": label,
                                "points": _number(weight * index / steps),
                            }
                            for index, label in enumerate(labels)
                        ],
                        "critical": bool(entry.get("critical")),
                        "fail_effect": self.words._(FAIL_EFFECTS[str(entry.get("fail_effect"))])
                        if entry.get("critical") and str(entry.get("fail_effect")) in FAIL_EFFECTS
                        else "",
                        "na_allowed": bool(entry.get("na_allowed")),
                        "guidance": entry.get("guidance"),
                    }
                )
            total += section_weight
            sections.append(
                {
                    "id": section.get("id"),
                    "title": section.get("title", ""),
                    "items": entries,
                    "weight": _number(section_weight),
                }
            )
        calibration = data.get("calibration")
        return {
            "id": item.id,
            "name": item.name,
            "description": data.get("description"),
            "channels": [self.name("channel", c) for c in data.get("channels", [])],
            "audience": [self.name("role", r) for r in data.get("audience", [])],
            "evaluator": self.name("role", data["evaluator"]) if data.get("evaluator") else None,
            "pass_mark": _number(float(data.get("pass_mark", 0))),
            "sections": sections,
            "total": _number(total),
            "critical": [{"section": s["title"], **i} for s in sections for i in s["items"] if i["critical"]],
            "calibration": (
                {
                    "frequency": calibration.get("frequency", ""),
                    "sample": calibration.get("sample"),
                    "participants": [self.name("role", r) for r in calibration.get("participants", [])],
                    "baseline": self.name("role", calibration["baseline"])
                    if calibration.get("baseline")
                    else None,
                    "objective": _number(float(calibration.get("agreement_objective", 0))),
                    "subjective": _number(float(calibration.get("agreement_subjective", 0))),
                    "method": calibration.get("method"),
                }
                if isinstance(calibration, dict)
                else None
            ),
        }

    # cheat sheets
    def cheat_sheet(self, item: Item) -> dict[str, Any]:
        data = item.data
        role_id = str(data.get("role"))
        categories = [
            self.category(c)
            for c in (self.playbook.get("category", str(cid)) for cid in data.get("categories", []))
            if c is not None
        ]
        categories = [
            PrintCategory(
                c.view,
                sheet_steps=tuple(s for s in c.resolve_now if s.owner_id == role_id) or c.resolve_now,
                sheet_escalation=tuple(e for e in c.escalation if e.role_id != role_id),
            )
            for c in categories
        ]
        contacts: dict[str, dict[str, Any]] = {}
        for category in categories:
            for step in category.escalation:
                if step.role_id != role_id and step.role_id not in contacts:
                    contacts[step.role_id] = {
                        "name": str(step.role or step.role_id),
                        "how": step.contact,
                        "level": step.level,
                    }
        official = [
            {
                "name": c.name,
                "how": ", ".join(str(c.data[k]) for k in ("phone", "email") if c.data.get(k)),
                "hours": c.data.get("hours"),
            }
            for c in self.playbook.all("contact")
            if c.data.get("audience") == "staff"
        ]
        calendars = {}
        for category in categories:
            sla = category.sla
            if sla is not None and sla.clock == "business" and sla.calendar is not None:
                calendars[sla.calendar.name] = sla.hours
        channels = [self.name("channel", c) for c in data.get("channels", [])]
        return {
            "id": item.id,
            "title": data.get("title", item.id),
            "role": self.name("role", role_id),
            "family": data.get("family", ""),
            "channels": channels,
            "categories": categories,
            "contacts": sorted(contacts.values(), key=lambda c: (c["level"] or 99, c["name"])),
            "official": official,
            "limits": self.role_limits(role_id),
            "phrases": data.get("phrases", []),
            "calendars": sorted(calendars.items()),
        }

    # whole playbook
    def sla_policies(self) -> list[dict[str, Any]]:
        result = []
        for policy in self.playbook.all("sla-policy"):
            result.append(
                {
                    "id": policy.id,
                    "name": policy.name,
                    "description": policy.data.get("description"),
                    "rows": self.view.sla_rows(policy.id),
                    "warnings": [
                        {
                            "at": self.words.number(w.get("at_percent", 0)),
                            "notify": [self.name("role", r) for r in w.get("notify", [])],
                        }
                        for w in policy.data.get("warnings", [])
                    ],
                    "escalations": [
                        {
                            "at": self.words.number(e.get("at_percent", 0)),
                            "level": self.name("level", e.get("level")),
                            "notify": [self.name("role", r) for r in e.get("notify", [])],
                        }
                        for e in policy.data.get("escalations", [])
                    ],
                }
            )
        return result

    def priority_matrix(self) -> dict[str, Any]:
        impacts = sorted(self.playbook.all("impact"), key=lambda i: int(i.data.get("rank", 99)))
        urgencies = sorted(self.playbook.all("urgency"), key=lambda i: int(i.data.get("rank", 99)))
        doc = self.playbook.file("priorities")
        cells: dict[tuple[str, str], str] = {}
        if doc is not None and isinstance(doc.data, dict):
            for cell in doc.data.get("matrix", []):
                priority = self.playbook.get("priority", str(cell.get("priority")))
                cells[(str(cell.get("impact")), str(cell.get("urgency")))] = self.priority_label(priority)
        priorities = sorted(self.playbook.all("priority"), key=lambda i: int(i.data.get("rank", 99)))
        return {
            "urgencies": [{"name": u.name, "description": u.data.get("description", "")} for u in urgencies],
            "impacts": [{"name": i.name, "description": i.data.get("description", "")} for i in impacts],
            "rows": [
                {"impact": i.name, "cells": [cells.get((i.id, u.id), "—") for u in urgencies]}
                for i in impacts
            ],
            "priorities": [
                {"label": self.priority_label(p), "description": p.data.get("description", "")}
                for p in priorities
            ],
        }

    def raci(self) -> RaciMatrix:
        return self.view.raci_matrix

    def recovery(self, item: Item) -> dict[str, Any]:
        data = item.data
        return {
            "id": item.id,
            "name": item.name,
            "scenario": data.get("scenario", ""),
            "framework": data.get("framework", ""),
            "channels": [self.name("channel", c) for c in data.get("channels", [])],
            "owner": self.name("role", data.get("owner")),
            "steps": [
                {
                    "stage": self.words.stage_name(str(s.get("stage"))),
                    "guidance": s.get("guidance", ""),
                    "say": s.get("say", []),
                    "avoid": s.get("avoid", []),
                }
                for s in data.get("steps", [])
            ],
            "compensation": [
                {
                    "type": self.name("compensation-type", c.get("type")),
                    "amount": self.money(c.get("amount")),
                    "when": c.get("when", ""),
                    "approved_by": self.name("role", c["approved_by"]) if c.get("approved_by") else None,
                }
                for c in data.get("compensation", [])
            ],
        }

    def _calendar_words(self, calendar_id: object) -> str:
        calendar = self.view.calendar(str(calendar_id))
        return calendar.hours if calendar is not None else ""

    def playbook_view(self) -> dict[str, Any]:
        pb = self.playbook
        return {
            "history": pb.settings.get("history", []),
            "contacts": [
                {key: c.data.get(key) for key in ("name", "phone", "email", "hours", "audience")}
                for c in pb.all("contact")
            ],
            "channels": [
                {
                    "name": c.name,
                    "family": c.data.get("family", ""),
                    "mode": c.data.get("mode", ""),
                    "hours": self.words._("24/7")
                    if c.data.get("always_on")
                    else self._calendar_words(c.data.get("calendar")),
                    "handled_by": [self.name("role", r) for r in c.data.get("handled_by", [])],
                    "description": c.data.get("description"),
                }
                for c in pb.all("channel")
            ],
            "levels": sorted(
                (
                    {
                        "level": lv.data.get("level"),
                        "name": lv.name,
                        "description": lv.data.get("description"),
                    }
                    for lv in pb.all("level")
                ),
                key=lambda lv: int(lv["level"] or 0),
            ),
            "roles": [
                {
                    "name": r.name,
                    "group": r.data.get("group", ""),
                    "level": self.name("level", r.data["level"]) if r.data.get("level") else "",
                    "reports_to": self.name("role", r.data["reports_to"]) if r.data.get("reports_to") else "",
                    "description": r.data.get("description", ""),
                    "responsibilities": r.data.get("responsibilities", []),
                    "contact": r.data.get("contact"),
                }
                for r in pb.all("role")
            ],
            "model": {
                "src": _svg_uri(svg.escalation_model_svg(self.view)),
                "alt": self.words._(
                    "Escalation levels, first contact at the top: %(levels)s",
                    levels="; ".join(
                        self.words.level_caption(lv.data.get("level"), lv.name)
                        for lv in sorted(pb.all("level"), key=lambda lv: int(lv.data.get("level", 0)))
                    ),
                ),
            },
            "matrix": self.priority_matrix(),
            "sla": self.sla_policies(),
            "raci": self.raci(),
            "authority": self.authority(),
            "categories": self.categories(diagram=True),
            "scripts": [self.recovery(r) for r in pb.all("recovery")],
            "training": [self.training(t) for t in pb.all("training")],
            "forms": [self.form(f) for f in pb.all("form")],
            "scorecards": [self.scorecard(q) for q in pb.all("qa")],
            "kpis": [
                {
                    "name": k.name,
                    "definition": k.data.get("definition", ""),
                    "formula": k.data.get("formula", ""),
                    "target": k.target,
                    "direction": k.direction,
                    "owner": k.owner,
                    "frequency": k.data.get("frequency"),
                    "source": k.data.get("source"),
                }
                for k in self.view.kpis()
            ],
            "policies": [
                {
                    "name": p.name,
                    "value": p.value,
                    "description": p.data.get("description", ""),
                    "owner": p.owner,
                }
                for p in (self.view.policy(item) for item in pb.all("policy"))
            ],
        }


def _svg_uri(drawing: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode("utf-8")).decode("ascii")


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


# --- documents ------------------------------------------------------------------------------


def _no_none(value: object) -> object:
    """An absent value prints as nothing, never as 'None'."""
    return "" if value is None else value


def print_environment(playbook: Playbook, print_views: Views) -> jinja2.Environment:
    env = environment(playbook.root, "print", _no_none)
    values = print_views.values
    md: Callable[[object], Markup] = lambda value: print_markdown(value, values)  # noqa: E731
    env.filters["md"] = md
    env.filters["md_inline"] = lambda value: print_inline(value, values)
    env.filters["fill"] = lambda value: breakable(text.plain(str(value), values))
    env.filters["duration"] = print_views.words.duration
    env.globals["pb"] = print_views.masthead
    env.globals["words"] = print_views.words
    return env


def template_problem(playbook: Playbook, template: str, exc: jinja2.TemplateError) -> Problem:
    """A print template that fails to render, at the template line where it failed."""
    filename = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".css")):
            filename, line = frame.filename, frame.lineno
    path = Path(filename) if filename else Path("templates/print") / template
    try:
        shown = path.resolve().relative_to(playbook.root.resolve()).as_posix()
    except ValueError:
        shown = f"(built-in) templates/print/{path.name}"
    return Problem(
        shown,
        line or 1,
        1,
        "print-template",
        "error",
        f"the print template {template} failed: {exc.message or exc}; fix the template "
        "(a playbook's own templates/print/ files override the built-in ones)",
    )


def print_documents(playbook: Playbook, moment: datetime | None = None) -> list[PrintDoc]:
    """Every print document of a checked playbook, as HTML, in a stable order."""
    v = Views(playbook, moment or build_moment(playbook))
    env = print_environment(playbook, v)
    docs: list[PrintDoc] = []

    def page(template: str, title: str, **context: Any) -> str:
        try:
            return env.get_template(template).render(title=title, **context)
        except jinja2.TemplateError as exc:
            raise PlaybookError([template_problem(playbook, template, exc)]) from exc

    for item in playbook.all("form"):
        form = v.form(item)
        docs.append(
            PrintDoc(
                f"forms/{item.id}.pdf",
                "form",
                form["title"],
                page("form.html", form["title"], form=form),
                item,
            )
        )
    for item in playbook.all("training"):
        module = v.training(item)
        for edition in ("trainee", "trainer"):
            title = (
                v.words._("%(title)s — trainer edition", title=module["title"])
                if edition == "trainer"
                else v.words._("%(title)s — trainee edition", title=module["title"])
            )
            html = page("training.html", title, module=module, trainer=edition == "trainer")
            docs.append(PrintDoc(f"training/{item.id}-{edition}.pdf", "training", title, html, item))
    for item in playbook.all("qa"):
        card = v.scorecard(item)
        docs.append(
            PrintDoc(f"qa/{item.id}.pdf", "qa", card["name"], page("qa.html", card["name"], card=card), item)
        )
    for item in playbook.all("cheat-sheet"):
        sheet = v.cheat_sheet(item)
        title = v.words._("Cheat sheet: %(title)s", title=sheet["title"])
        html = page("cheat-sheet.html", title, sheet=sheet)
        docs.append(PrintDoc(f"cheat-sheets/{item.id}.pdf", "cheat-sheet", title, html, item, one_page=True))
    whole = v.playbook_view()
    title = str(v.masthead["name"])
    docs.append(PrintDoc("playbook.pdf", "playbook", title, page("playbook.html", title, book=whole), None))
    return docs
