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
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from playbookgen import text
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render import environment, svg
from playbookgen.render.decision_svg import decision_svg
from playbookgen.views import documents, learning
from playbookgen.views.briefings import Briefings, briefing_pdf
from playbookgen.views.decision import decision
from playbookgen.views.typed import CategoryView, PlaybookView, RaciMatrix
from playbookgen.wording import Wording

PAPER_SIZES: dict[str, str] = {"A4": "A4", "Letter": "letter"}
"""playbook.yaml ``paper`` → CSS ``@page { size }``."""
POSTER_SIZES: dict[str, str] = {"A4": "A3", "Letter": "ledger"}
"""The wall-poster size of each paper size: A3, or tabloid (11 × 17 in) next to Letter."""


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
_BOLD_ID = re.compile(r"\*\*([a-z0-9][a-z0-9-]{0,63})\*\*")
NAMED_KINDS = ("category", "form", "recovery", "training", "role", "cheat-sheet")
"""Items whose id, written in bold in prose ('Use **late-delivery** …'), prints as their name
(the site links the same ids to their pages)."""


def item_names(playbook: Playbook) -> dict[str, str]:
    """Id → name of the items an id in bold prose can stand for (first kind wins)."""
    names: dict[str, str] = {}
    for kind in NAMED_KINDS:
        for item in playbook.all(kind):
            names.setdefault(item.id, item.name)
    return names


def named(value: str, names: Mapping[str, str] | None) -> str:
    """``value`` with every ``**id**`` of a known item turned into ``**its name**``."""
    if not names:
        return value
    return _BOLD_ID.sub(lambda m: f"**{names[m.group(1)]}**" if m.group(1) in names else m.group(0), value)


def _inline(line: str) -> str:
    """Escaped text with **bold**, *italic* and `code` turned into tags."""
    html = escape(line, quote=False)
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    return _EMPHASIS.sub(r"<em>\1</em>", html)


def print_inline(
    value: object, values: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None
) -> Markup:
    """One line of Markdown-ish text for a table cell: policy values filled, links reduced
    to their label, ids in bold shown as the item's name, HTML escaped, emphasis kept."""
    return Markup(_inline(" ".join(breakable(named(text.plain(str(value), values), names)).split())))


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


def print_markdown(
    value: object, values: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None
) -> Markup:
    """Markdown-ish text as print HTML: paragraphs, bullet and numbered lists, emphasis; an
    id in bold ('**late-delivery**') shows the item's name. Everything else is escaped text."""
    plain = breakable(named(text.plain(str(value), values), names)).strip()
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
    """A category's typed view with what print adds: its escalation diagram and its 'Can I
    fix it now?' aid, each as an image (``src``, ``alt``)."""

    view: CategoryView
    diagram: dict[str, str] | None = None
    decision: dict[str, str] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.view, name)


# --- views ----------------------------------------------------------------------------------


LATIN_FONTS = Markup('"Liberation Sans", "DejaVu Sans", sans-serif')
WIDE_FONTS = Markup('"DejaVu Sans Condensed", "DejaVu Sans", "Liberation Sans", sans-serif')


def print_fonts(words: Wording) -> Markup:
    """The CSS font stack of the PDFs: Liberation Sans where it covers the language and the
    currency symbol, DejaVu Sans first where it does not (Vietnamese, the đồng sign ₫), so one
    font sets every word rather than a letter-by-letter fallback."""
    return WIDE_FONTS if words.needs_wide_font else LATIN_FONTS


def page_counter(words: Wording) -> Markup:
    """The CSS ``content`` of the page number in the footer: 'page 2 of 5' in the reader's words."""
    worded = words._("page %(page)s of %(pages)s", page="\x00", pages="\x01")
    parts = []
    for piece in re.split("([\x00\x01])", worded):
        if piece == "\x00":
            parts.append("counter(page)")
        elif piece == "\x01":
            parts.append("counter(pages)")
        elif piece:
            quoted = piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
            parts.append(f'"{quoted}"')
    return Markup(" ".join(parts))


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
            "effective_date": self.words.date(str(settings.get("effective_date", ""))),
            "build_date": self.words.date(moment.date()),
            # The build date is only worth printing when the build set it (SOURCE_DATE_EPOCH);
            # otherwise it is the effective date again, which the footer already gives.
            "build_dated": bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip()),
            "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lang": self.words.tag,
            "fonts": print_fonts(self.words),
            "page_counter": page_counter(self.words),
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

    def decision_diagram(self, category: CategoryView) -> dict[str, str]:
        """The category's 'Can I fix it now?' tree as a data: URI, with its alt text."""
        drawing = decision_svg(decision(self.view, category), self.words, self.values)
        return {
            "src": _svg_uri(drawing),
            "alt": self.words._("Can I fix it now? %(name)s", name=category.name),
        }

    # categories
    def category(self, item: Item, *, diagram: bool = False) -> PrintCategory:
        view = self.view.category(item.id)
        if not diagram:
            return PrintCategory(view)
        return PrintCategory(view, self.escalation_diagram(item), self.decision_diagram(view))

    def categories(self, *, diagram: bool = False) -> list[PrintCategory]:
        return [
            PrintCategory(c, self.escalation_diagram(c.item), self.decision_diagram(c))
            if diagram and c.item is not None
            else PrintCategory(c)
            for c in self.view.categories()
        ]

    def authority(self, highlight: set[str] | None = None) -> documents.AuthorityMatrix | None:
        return documents.authority_matrix(self.view, highlight)

    def form(self, item: Item) -> documents.FormView:
        return documents.form(self.view, item)

    def training(self, item: Item) -> learning.TrainingView:
        return learning.training(self.view, item)

    def scorecard(self, item: Item) -> learning.ScorecardView:
        return learning.scorecard(self.view, item)

    def cheat_sheet(self, item: Item) -> documents.CheatSheetView:
        return documents.cheat_sheet(self.view, item)

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
                    "variants": self.view.sla_variants(policy.id),
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

    def recovery(self, item: Item) -> documents.RecoveryView:
        return documents.recovery(self.view, item)

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
                    "qualifications": self.view.refs("qualification", r.data.get("qualifications", [])),
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
            "tiers": self.view.tiers(),
            "channel_hours": [c for c in self.view.channels() if c.coverage or c.deadlines],
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
                    "teams": k.teams,
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
    env = environment(playbook.root, "print", _no_none, translations=print_views.words.translations)
    values = print_views.values
    names = item_names(playbook)
    md: Callable[[object], Markup] = lambda value: print_markdown(value, values, names)  # noqa: E731
    env.filters["md"] = md
    env.filters["md_inline"] = lambda value: print_inline(value, values, names)
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


def print_documents(
    playbook: Playbook,
    moment: datetime | None = None,
    kinds: Collection[str] | None = None,
    only: Collection[tuple[str, str]] | None = None,
    told: Briefings | None = None,
) -> list[PrintDoc]:
    """Every print document of a checked playbook (or those of ``kinds``: form, training,
    handout, authority, qa, cheat-sheet, briefing, playbook; and of them only the items
    ``only`` names as (kind, id)), as HTML, in a stable order; with ``told``, each change
    briefing and its trainer copy."""
    v = Views(playbook, moment or build_moment(playbook))
    env = print_environment(playbook, v)
    docs: list[PrintDoc] = []

    def wanted(kind: str) -> bool:
        return kinds is None or kind in kinds

    def chosen(kind: str) -> list[Item]:
        items = playbook.all(kind) if wanted(kind) else []
        return items if only is None else [item for item in items if (kind, item.id) in only]

    def page(template: str, title: str, **context: Any) -> str:
        try:
            return env.get_template(template).render(title=title, **context)
        except jinja2.TemplateError as exc:
            raise PlaybookError([template_problem(playbook, template, exc)]) from exc

    for item in chosen("form"):
        form = v.form(item)
        docs.append(
            PrintDoc(
                f"forms/{item.id}.pdf",
                "form",
                form.title,
                page("form.html", form.title, form=form),
                item,
            )
        )
    for item in chosen("training"):
        module = v.training(item)
        for edition in ("trainee", "trainer"):
            title = (
                v.words._("%(title)s — trainer edition", title=module.title)
                if edition == "trainer"
                else v.words._("%(title)s — trainee edition", title=module.title)
            )
            html = page("training.html", title, module=module, trainer=edition == "trainer")
            docs.append(PrintDoc(f"training/{item.id}-{edition}.pdf", "training", title, html, item))
    for item in playbook.all("training") if wanted("handout") else ():
        if only is not None and ("training", item.id) not in only:
            continue
        module = v.training(item)
        for handout in module.handouts:
            html = page("handout.html", handout.title, module=module, handout=handout)
            docs.append(PrintDoc(handout.path, "handout", handout.title, html, item))
    if wanted("authority") and only is None and (authority := v.authority()) is not None:
        title = v.words._("Goodwill authority matrix")
        poster = POSTER_SIZES.get(str(v.masthead["paper"]), "A3")
        html = page("authority.html", title, authority=authority, poster_size=poster)
        docs.append(PrintDoc(learning.AUTHORITY_PDF, "authority", title, html, None))
    for item in chosen("qa"):
        card = v.scorecard(item)
        docs.append(
            PrintDoc(f"qa/{item.id}.pdf", "qa", card.name, page("qa.html", card.name, card=card), item)
        )
    for item in chosen("cheat-sheet"):
        sheet = v.cheat_sheet(item)
        title = v.words._("Cheat sheet: %(title)s", title=sheet.title)
        html = page("cheat-sheet.html", title, sheet=sheet)
        docs.append(PrintDoc(f"cheat-sheets/{item.id}.pdf", "cheat-sheet", title, html, item, one_page=True))
    for briefing in told.briefings if told is not None and wanted("briefing") and only is None else ():
        title = v.words._("Briefing for %(audience)s", audience=briefing.audience.title)
        for edition in ("", "trainer"):
            html = page("briefing.html", title, b=told, br=briefing, trainer=edition == "trainer")
            docs.append(PrintDoc(briefing_pdf(briefing.id, edition), "briefing", title, html, None))
    if wanted("playbook"):
        whole = v.playbook_view()
        title = str(v.masthead["name"])
        docs.append(
            PrintDoc("playbook.pdf", "playbook", title, page("playbook.html", title, book=whole), None)
        )
    return docs
