"""The playbook site as files: one Markdown page per thing a reader looks up, the escalation
diagrams as SVG, a generated ``mkdocs.yml`` and the theme overrides, ready for MkDocs.

Pages come from the Jinja templates under ``templates/site/pages/`` (a playbook's own
``templates/site/`` wins). Every text from YAML reaches a page through the ``markdown`` or
``inline`` filter or Jinja's autoescape, so raw HTML in it shows as text. Values that MkDocs'
own (not autoescaping) templates print — page titles, nav sections, tags, the site name —
are HTML-escaped here, once.
"""

from __future__ import annotations

import html
import posixpath
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup, escape

from playbookgen import text, views
from playbookgen.durations import calendar_summary, humanize, parse_duration
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render import environment
from playbookgen.render.svg import describe_path, escalation_model_svg, escalation_svg
from playbookgen.resources import resource_dir
from playbookgen.rules import rule_docs
from playbookgen.whatsnew import WhatsNew, unread

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
RACI_LETTERS = ("R", "A", "C", "I")
RACI_NAMES = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
PDF_DIR = "pdf"
"""Where the print helper writes PDFs inside ``docs/`` (see render/pdf.py)."""


@dataclass(frozen=True)
class Audience:
    """A group of readers with its own entry page."""

    id: str
    title: str
    tag: str
    blurb: str
    groups: frozenset[str]
    family: str | None = None


AUDIENCES = (
    Audience(
        "in-store",
        "In store",
        "In store",
        "Returns, complaints and problems customers bring to the shop.",
        frozenset({"store"}),
        "offline",
    ),
    Audience(
        "agents",
        "Agents (call, chat, email)",
        "Agents",
        "Cases that come in by phone, chat, email and messages.",
        frozenset({"bpo"}),
        "online",
    ),
    Audience(
        "leaders",
        "Case owners & leaders",
        "Case owners & leaders",
        "Escalations, SLAs, authority, RACI, quality and KPIs.",
        frozenset({"case-team", "leadership"}),
    ),
    Audience(
        "trainers",
        "Trainers",
        "Trainers",
        "Training modules, printouts, the QA scorecard and what changed.",
        frozenset(),
    ),
)


@dataclass(frozen=True)
class Page:
    """One generated Markdown page."""

    path: str
    """Relative to ``docs/``, e.g. ``categories/missing-item.md``."""
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    """The playbook file the page shows, for error reports."""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class SiteFiles:
    """Everything MkDocs needs, as text: ``mkdocs.yml``, ``docs/**`` and ``overrides/**``."""

    files: dict[str, str]
    pages: list[str]
    sources: dict[str, str]
    """Page path → the playbook file it comes from."""


# --- text helpers ---------------------------------------------------------------------------


def long_date(iso: str) -> str:
    """'1 November 2026' for '2026-11-01' (unchanged when it is not a date)."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", iso)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso
    return f"{int(match.group(3))} {MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def duration_words(value: object) -> str:
    duration = parse_duration(value)
    return humanize(duration) if duration is not None else str(value)


def short_duration(value: object) -> str:
    """'30 min', '4 h', '2 d', '1 h 30 min' for matrix cells."""
    duration = parse_duration(value)
    if duration is None:
        return str(value)
    minutes = int(duration.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{mins} min" if mins else ""]
    return " ".join(p for p in parts if p) or "0 min"


def _no_images(markdown: str) -> str:
    """Markdown image syntax would make the page fetch a picture, possibly from another host."""
    return markdown.replace("![", "&#33;[")


def alt_text(value: object) -> str:
    """Text for the alt of a Markdown image: one line, brackets and backslashes escaped."""
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(text.plain(str(value)).split()))


def html_text(value: object) -> str:
    """Plain text escaped for the places MkDocs prints a value without escaping it."""
    return html.escape(" ".join(str(value).split()), quote=True)


def page_link(page: str, target: str) -> str:
    """A link from docs page ``page`` to docs path ``target`` (with an optional #anchor)."""
    path, _, anchor = target.partition("#")
    relative = "" if path == page else posixpath.relpath(path, posixpath.dirname(page) or ".")
    return f"{relative}#{anchor}" if anchor else relative


# --- the view of the playbook the pages read -------------------------------------------------


class SiteView:
    """The derived data every page template reads, built once per playbook."""

    def __init__(self, playbook: Playbook, *, pdf: bool) -> None:
        self.playbook = playbook
        self.pdf = pdf
        self.values = views.policy_values(playbook)
        self.currency = views.currency(playbook)
        settings = playbook.settings
        organisation = settings.get("organisation") or {}
        self.name = str(settings.get("name", "Playbook"))
        self.organisation = str(organisation.get("name", ""))
        self.description = organisation.get("description")
        self.website = organisation.get("website")
        self.version = str(settings.get("version", ""))
        self.effective_date = str(settings.get("effective_date", ""))
        self.effective_text = long_date(self.effective_date)
        self.contacts = list(playbook.all("contact"))
        self.history = [h for h in settings.get("history", []) if isinstance(h, dict)]
        self.site_settings: dict[str, Any] = settings.get("site") or {}
        self.roles = playbook.all("role")
        self.levels = sorted(playbook.all("level"), key=lambda lv: int(lv.data.get("level", 0)))
        self.categories = sorted(
            playbook.all("category"), key=lambda c: (str(c.data.get("area", "")), c.name)
        )
        self.areas: dict[str, list[Item]] = {}
        for category in self.categories:
            self.areas.setdefault(str(category.data.get("area", "Other")), []).append(category)
        self.priorities = sorted(playbook.all("priority"), key=lambda p: int(p.data.get("rank", 99)))
        self.impacts = sorted(playbook.all("impact"), key=lambda p: int(p.data.get("rank", 99)))
        self.urgencies = sorted(playbook.all("urgency"), key=lambda p: int(p.data.get("rank", 99)))
        self.matrix: dict[tuple[str, str], Item] = {}
        priorities_doc = playbook.file("priorities")
        if priorities_doc is not None and isinstance(priorities_doc.data, dict):
            for cell in priorities_doc.data.get("matrix", []):
                priority = playbook.get("priority", str(cell.get("priority")))
                if priority is not None:
                    self.matrix[(str(cell.get("impact")), str(cell.get("urgency")))] = priority
        self.sla_policies = playbook.all("sla-policy")
        self.sla: dict[str, list[views.SlaRow]] = {
            p.id: views.sla_rows(playbook, p) for p in self.sla_policies
        }
        self.activities = playbook.all("activity")
        self.scripts = sorted(playbook.all("recovery"), key=lambda r: r.name)
        self.modules = sorted(playbook.all("training"), key=lambda t: t.name)
        self.forms = sorted(playbook.all("form"), key=lambda f: f.name)
        self.scorecards = sorted(playbook.all("qa"), key=lambda q: q.name)
        self.kpis = playbook.all("kpi")
        self.policies = sorted(playbook.all("policy"), key=lambda p: p.name)
        self.calendars = playbook.all("calendar")
        self.channels = playbook.all("channel")
        self.cheat_sheets = playbook.all("cheat-sheet")
        self.compensation_types = playbook.all("compensation-type")
        authority = playbook.file("authority")
        self.authority: dict[str, Any] = (
            authority.data if authority is not None and isinstance(authority.data, dict) else {}
        )
        self.limits: dict[str, dict[str, Any]] = {
            str(entry.get("role")): entry
            for entry in self.authority.get("limits", [])
            if isinstance(entry, dict)
        }
        self.period = duration_words(self.authority.get("period", "")) if self.authority else ""
        # Reverse indexes, built in one pass each.
        self.categories_by_script: dict[str, list[Item]] = {}
        self.categories_by_form: dict[str, list[Item]] = {}
        self.categories_by_policy: dict[str, list[Item]] = {}
        for category in self.categories:
            for script_id in category.data.get("recovery_scripts", []):
                self.categories_by_script.setdefault(str(script_id), []).append(category)
            form_ids = list(category.data.get("forms", []))
            if category.data.get("closure_form"):
                form_ids.append(category.data["closure_form"])
            for form_id in dict.fromkeys(form_ids):
                self.categories_by_form.setdefault(str(form_id), []).append(category)
            self.categories_by_policy.setdefault(str(category.data.get("sla_policy")), []).append(category)
        self.modules_by_category: dict[str, list[Item]] = {}
        self.modules_by_form: dict[str, list[Item]] = {}
        self.modules_by_policy: dict[str, list[Item]] = {}
        for module in self.modules:
            covers = module.data.get("covers") or {}
            for category_id in covers.get("categories", []):
                self.modules_by_category.setdefault(str(category_id), []).append(module)
            for form_id in covers.get("forms", []):
                self.modules_by_form.setdefault(str(form_id), []).append(module)
            for policy_id in covers.get("policies", []):
                self.modules_by_policy.setdefault(str(policy_id), []).append(module)
        self.channels_by_calendar: dict[str, list[Item]] = {}
        for channel in self.channels:
            self.channels_by_calendar.setdefault(str(channel.data.get("calendar")), []).append(channel)
        self._category_views: dict[str, dict[str, Any]] = {}

    # small lookups the templates call
    def role(self, role_id: object) -> Item | None:
        return self.playbook.get("role", str(role_id))

    def item(self, kind: str, item_id: object) -> Item | None:
        return self.playbook.get(kind, str(item_id))

    def name_of(self, kind: str, item_id: object) -> str:
        found = self.playbook.get(kind, str(item_id))
        return found.name if found is not None else str(item_id)

    def money(self, amount: object) -> str:
        if isinstance(amount, (int, float)) and not isinstance(amount, bool):
            return views.money(float(amount), self.currency)
        return str(amount)

    def level_caption(self, role: Item | None) -> str:
        if role is None:
            return ""
        level = self.playbook.get("level", str(role.data.get("level")))
        if level is None:
            return "Partner team" if role.data.get("group") == "partner" else ""
        return f"Level {level.data.get('level')} · {level.name}"

    def calendar_words(self, calendar: Item | None) -> str:
        return calendar_summary(calendar.data) if calendar is not None else ""

    def priority_label(self, priority: Item | None) -> str:
        """'P1 Critical' for a priority with a p-number id, else its name."""
        if priority is None:
            return ""
        if re.match(r"^p\d+$", priority.id):
            return f"{priority.id.upper()} {priority.name}"
        return priority.name

    def priority_labels(self) -> list[str]:
        return [self.priority_label(p) for p in self.priorities]

    def categories_at(self, priority_id: str) -> list[str]:
        """Ids of the categories whose default impact and urgency give ``priority_id``."""
        return [
            c.id for c in self.categories if (p := self.priority_of(c)) is not None and p.id == priority_id
        ]

    def framework_stages(self, framework: str) -> str:
        return ", ".join(views.STAGE_NAMES[s] for s in views.FRAMEWORKS.get(framework, ()))

    def stage_name(self, stage: str) -> str:
        return views.STAGE_NAMES.get(stage, stage.replace("-", " ").capitalize())

    def kpi_target(self, kpi: Item) -> str:
        """'at least 85%', 'at most 7 minutes (420 seconds)'."""
        data = kpi.data
        value, unit = data.get("target"), str(data.get("unit", ""))
        shown = _number(value)
        if unit == "percent":
            shown = f"{shown}%"
        elif unit == "currency":
            shown = self.money(value)
        elif unit == "seconds" and isinstance(value, (int, float)) and value >= 60:
            shown = f"{humanize(timedelta(seconds=value))} ({shown} seconds)"
        elif unit in ("seconds", "minutes", "hours", "days"):
            shown = f"{shown} {unit[:-1] if value == 1 else unit}"
        elif unit == "nps":
            shown = f"{shown} (NPS)"
        elif unit == "ratio":
            shown = f"{shown} (ratio)"
        direction = data.get("direction")
        prefix = (
            "at least "
            if direction == "higher-is-better"
            else "at most "
            if direction == "lower-is-better"
            else ""
        )
        return prefix + shown

    def model_alt(self) -> str:
        levels = "; ".join(f"level {lv.data.get('level')}, {lv.name}" for lv in self.levels)
        return f"Escalation model: {levels}."

    @property
    def edit_base(self) -> str:
        """The address to which a source file's path is appended for an 'edit' link, or ''."""
        repo = self.site_settings.get("repo_url")
        if not repo:
            return ""
        edit = str(self.site_settings.get("edit_uri") or "edit/main/playbook/").strip("/")
        return f"{str(repo).rstrip('/')}/{edit}/"

    def priority_of(self, category: Item) -> Item | None:
        return self.matrix.get((str(category.data.get("impact")), str(category.data.get("urgency"))))

    def pdf_path(self, kind: str, item_id: str, edition: str = "") -> str | None:
        """The docs path of a PDF the print step writes, or None when PDFs are not built."""
        if not self.pdf:
            return None
        folder = {"form": "forms", "training": "training", "qa": "qa", "cheat-sheet": "cheat-sheets"}[kind]
        suffix = f"-{edition}" if edition else ""
        return f"{PDF_DIR}/{folder}/{item_id}{suffix}.pdf"

    def raci(self, activity: Item) -> dict[str, list[Item]]:
        """Roles by RACI letter for one activity (an entry like 'A/R' counts for both)."""
        letters: dict[str, list[Item]] = {letter: [] for letter in RACI_LETTERS}
        for role_id, value in (activity.data.get("assignments") or {}).items():
            role = self.role(role_id)
            if role is None:
                continue
            for letter in RACI_LETTERS:
                if letter in str(value).upper():
                    letters[letter].append(role)
        return letters

    def raci_roles(self) -> list[Item]:
        """Roles that appear in the RACI matrix, in roles.yaml order."""
        used = {str(r) for a in self.activities for r in (a.data.get("assignments") or {})}
        return [role for role in self.roles if role.id in used]

    def goodwill(self, role_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Goodwill limits per role (authority.yaml order), optionally only for ``role_ids``."""
        wanted = set(role_ids) if role_ids is not None else None
        rows: list[dict[str, Any]] = []
        for role_id, entry in self.limits.items():
            if wanted is not None and role_id not in wanted:
                continue
            role = self.role(role_id)
            if role is None:
                continue
            caps = []
            for cap in entry.get("caps", []):
                kind = self.item("compensation-type", cap.get("type"))
                caps.append(
                    {
                        "type": kind,
                        "name": kind.name if kind is not None else str(cap.get("type")),
                        "per_case": self.money(cap.get("per_case")),
                        "per_customer": self.money(cap.get("per_customer")),
                    }
                )
            rows.append(
                {
                    "role": role,
                    "caps": caps,
                    "approver": self.role(entry.get("approver")) if entry.get("approver") else None,
                    "documentation": entry.get("documentation"),
                }
            )
        return rows

    def caps_by_type(self) -> dict[tuple[str, str], dict[str, str]]:
        """(compensation type, role) → per-case and per-customer caps, for the authority matrix."""
        cells: dict[tuple[str, str], dict[str, str]] = {}
        for role_id, entry in self.limits.items():
            for cap in entry.get("caps", []):
                cells[(str(cap.get("type")), role_id)] = {
                    "per_case": self.money(cap.get("per_case")),
                    "per_customer": self.money(cap.get("per_customer")),
                }
        return cells

    def sla_warnings(self, policy: Item) -> list[str]:
        lines = []
        for warning in policy.data.get("warnings", []):
            names = ", ".join(self.name_of("role", r) for r in warning.get("notify", []))
            lines.append(f"At {_number(warning.get('at_percent'))}% of a target: reminder to {names}.")
        for escalation in policy.data.get("escalations", []):
            level = self.item("level", escalation.get("level"))
            names = ", ".join(self.name_of("role", r) for r in escalation.get("notify", []))
            where = (
                f"Level {level.data.get('level')} · {level.name}" if level is not None else "the next level"
            )
            at = _number(escalation.get("at_percent"))
            label = f"At {at}% (breach)" if at == "100" else f"At {at}% of a target"
            lines.append(f"{label}: escalates to {where}; {names} told.")
        return lines

    def families(self, category: Item) -> set[str]:
        return views.channel_families(self.playbook, [str(c) for c in category.data.get("channels", [])])

    def audience_tags(self, category: Item) -> list[str]:
        families = self.families(category)
        tags = [a.tag for a in AUDIENCES if a.family is not None and a.family in families]
        owner = self.role(category.data.get("owner"))
        if owner is not None and owner.data.get("group") in AUDIENCES[2].groups:
            tags.append(AUDIENCES[2].tag)
        return tags

    def category(self, item: Item) -> dict[str, Any]:
        """Everything the category page shows, computed once per category."""
        cached = self._category_views.get(item.id)
        if cached is not None:
            return cached
        data = item.data
        priority = self.priority_of(item)
        policy = self.item("sla-policy", data.get("sla_policy"))
        rows = self.sla.get(policy.id, []) if policy is not None else []
        default_row = next((r for r in rows if priority is not None and r.priority.id == priority.id), None)
        steps = []
        for step in data.get("steps", []):
            steps.append(
                {
                    "do": step.get("do", ""),
                    "owner": self.role(step.get("owner")),
                    "activity": self.item("activity", step.get("activity")),
                    "resolve_now": bool(step.get("resolve_now")),
                    "when": step.get("when"),
                    "within": duration_words(step["within"]) if step.get("within") else None,
                }
            )
        path = []
        for entry in data.get("escalation_path", []):
            role = self.role(entry.get("role"))
            path.append({"role": role, "when": entry.get("when", ""), "caption": self.level_caption(role)})
        activities: list[Item] = []
        for step in steps:
            if step["activity"] is not None and step["activity"] not in activities:
                activities.append(step["activity"])
        relevant: list[str] = [str(s.get("owner")) for s in data.get("steps", [])]
        relevant += [str(e.get("role")) for e in data.get("escalation_path", [])]
        relevant.append(str(data.get("owner")))
        channels = [
            c for c in (self.item("channel", cid) for cid in data.get("channels", [])) if c is not None
        ]
        for channel in channels:
            relevant += [str(r) for r in channel.data.get("handled_by", [])]
        forms = [f for f in (self.item("form", fid) for fid in data.get("forms", [])) if f is not None]
        closure = self.item("form", data.get("closure_form")) if data.get("closure_form") else None
        view = {
            "item": item,
            "priority": priority,
            "impact": self.item("impact", data.get("impact")),
            "urgency": self.item("urgency", data.get("urgency")),
            "policy": policy,
            "rows": rows,
            "default_row": default_row,
            "sla_notes": self.sla_warnings(policy) if policy is not None else [],
            "owner": self.role(data.get("owner")),
            "partner": self.role(data.get("partner_team")) if data.get("partner_team") else None,
            "channels": channels,
            "steps": steps,
            "resolve_now": [s for s in steps if s["resolve_now"]],
            "escalate": [s for s in steps if not s["resolve_now"]],
            "path": path,
            "diagram": f"diagrams/{item.id}.svg",
            "diagram_alt": describe_path(self.playbook, item),
            "raci": [(activity, self.raci(activity)) for activity in activities],
            "goodwill": self.goodwill(list(dict.fromkeys(relevant))),
            "scripts": [
                s for s in (self.item("recovery", sid) for sid in data.get("recovery_scripts", [])) if s
            ],
            "waivers": data.get("recovery_waivers", []),
            "forms": [f for f in forms if closure is None or f.id != closure.id],
            "closure_form": closure,
            "modules": self.modules_by_category.get(item.id, []),
            "root_causes": [
                {**rc, "owner_role": self.role(rc.get("owner")) if rc.get("owner") else None}
                for rc in data.get("root_causes", [])
            ],
            "tags": self.audience_tags(item),
        }
        self._category_views[item.id] = view
        return view

    def audience(self, audience: Audience) -> dict[str, Any]:
        """What an audience page lists: its categories, roles, scripts, forms, training, sheets."""
        roles = [r for r in self.roles if r.data.get("group") in audience.groups]
        role_ids = {r.id for r in roles}
        channel_families = {c.id: c.data.get("family") for c in self.channels}
        if audience.family is not None:
            categories = [c for c in self.categories if audience.family in self.families(c)]
            sheets = [s for s in self.cheat_sheets if s.data.get("family") == audience.family]
            scripts = [
                s
                for s in self.scripts
                if any(channel_families.get(str(ch)) == audience.family for ch in s.data.get("channels", []))
            ]
            modules = [m for m in self.modules if role_ids & {str(r) for r in m.data.get("audience", [])}]
        elif role_ids:
            categories = [
                c
                for c in self.categories
                if c.data.get("rca_required") or str(c.data.get("owner")) in role_ids
            ]
            sheets = [s for s in self.cheat_sheets if str(s.data.get("role")) in role_ids]
            scripts = []
            modules = [m for m in self.modules if role_ids & {str(r) for r in m.data.get("audience", [])}]
        else:
            categories, sheets, scripts, modules = [], list(self.cheat_sheets), [], list(self.modules)
        areas: dict[str, list[Item]] = {}
        for category in categories:
            areas.setdefault(str(category.data.get("area", "Other")), []).append(category)
        return {
            "audience": audience,
            "roles": roles,
            "areas": areas,
            "sheets": sheets,
            "scripts": scripts,
            "modules": modules,
            "goodwill": self.goodwill([r.id for r in roles]),
        }

    def latest_history(self) -> dict[str, Any] | None:
        for entry in self.history:
            if str(entry.get("version")) == self.version:
                return entry
        return self.history[0] if self.history else None


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- rules reference ------------------------------------------------------------------------


def rules_reference() -> list[dict[str, Any]]:
    """Id, default severity, summary and documentation of every rule and built-in check."""
    return [
        {
            "id": doc.id,
            "severity": doc.severity,
            "summary": doc.summary,
            # Documentation written in playbookgen's own source, not in the playbook: trusted.
            "body": Markup(doc.doc_markdown),
            "stage": doc.stage,
        }
        for doc in rule_docs()
    ]


# --- pages ----------------------------------------------------------------------------------


def whats_new(news: WhatsNew) -> Markup:
    """The policy changes since the previous version the build read, already escaped by the
    diff's Markdown renderer (or a sentence saying why there are none)."""
    return Markup(news.markdown(heading_level=2))


def plan_pages(site: SiteView, news: WhatsNew) -> list[Page]:
    """Every page of the site, in nav order; ``news`` is what the build read about the previous version."""
    pages = [Page("index.md", "pages/home.md", "Home", {"audiences": AUDIENCES}, "playbook.yaml")]
    pages.append(
        Page(
            "whats-new.md", "pages/whats-new.md", "What's new", {"changes": whats_new(news)}, "playbook.yaml"
        )
    )
    for audience in AUDIENCES:
        pages.append(
            Page(
                f"for/{audience.id}.md",
                "pages/audience.md",
                audience.title,
                site.audience(audience),
                meta={"search": {"boost": 0.5}},
            )
        )
    pages.append(Page("categories/index.md", "pages/categories.md", "Case categories"))
    for category in site.categories:
        view = site.category(category)
        channel_tags = [c.name for c in view["channels"]]
        pages.append(
            Page(
                f"categories/{category.id}.md",
                "pages/category.md",
                category.name,
                {"c": view, "category": category},
                category.doc.relpath,
                {"tags": [*view["tags"], *channel_tags], "search": {"boost": 3}},
            )
        )
    pages += [
        Page("sla.md", "pages/sla.md", "SLA targets", {}, "sla.yaml"),
        Page("priorities.md", "pages/priorities.md", "Priority matrix", {}, "priorities.yaml"),
        Page("calendars.md", "pages/calendars.md", "Business hours and calendars", {}, "calendars.yaml"),
        Page("escalation.md", "pages/escalation.md", "Escalation model and roles", {}, "roles.yaml"),
        Page("raci.md", "pages/raci.md", "Who does what (RACI)", {}, "raci.yaml"),
    ]
    if site.authority:
        pages.append(Page("authority.md", "pages/authority.md", "Goodwill authority", {}, "authority.yaml"))
    if site.scripts:
        pages.append(Page("recovery/index.md", "pages/recovery-index.md", "Recovery scripts"))
    for script in site.scripts:
        pages.append(
            Page(
                f"recovery/{script.id}.md",
                "pages/recovery.md",
                script.name,
                {"s": script},
                script.doc.relpath,
            )
        )
    if site.modules:
        pages.append(Page("training/index.md", "pages/training-index.md", "Training modules"))
        for module in site.modules:
            pages.append(
                Page(
                    f"training/{module.id}.md",
                    "pages/training.md",
                    module.name,
                    {"t": module},
                    module.doc.relpath,
                )
            )
    if site.forms:
        pages.append(Page("forms/index.md", "pages/forms-index.md", "Forms"))
        for form in site.forms:
            pages.append(
                Page(f"forms/{form.id}.md", "pages/form.md", form.name, {"f": form}, form.doc.relpath)
            )
    if site.scorecards:
        pages.append(Page("qa/index.md", "pages/qa-index.md", "Quality assurance"))
        for card in site.scorecards:
            pages.append(Page(f"qa/{card.id}.md", "pages/qa.md", card.name, {"q": card}, card.doc.relpath))
    if site.kpis:
        pages.append(Page("kpis.md", "pages/kpis.md", "KPI glossary", {}, "kpis.yaml"))
    if site.policies:
        pages.append(Page("policies.md", "pages/policies.md", "Policy values", {}, "policies.yaml"))
    if site.pdf:
        pages.append(Page("printouts.md", "pages/printouts.md", "Printouts"))
    rules = rules_reference()
    if rules:
        pages.append(Page("rules.md", "pages/rules.md", "Rules reference", {"rules": rules}))
    pages.append(Page("tags.md", "pages/tags.md", "Tags"))
    return pages


def nav(pages: list[Page], site: SiteView) -> list[Any]:
    """The MkDocs nav: sections by what readers look for; categories grouped by area."""
    paths = {p.path for p in pages}

    def present(*candidates: str) -> list[str]:
        return [c for c in candidates if c in paths]

    def under(folder: str) -> list[str]:
        return [p.path for p in pages if p.path.startswith(f"{folder}/")]

    entries: list[Any] = present("index.md", "whats-new.md")
    entries.append({"For you": [f"for/{a.id}.md" for a in AUDIENCES]})
    categories: list[Any] = ["categories/index.md"]
    for area, items in site.areas.items():
        categories.append({html_text(area): [f"categories/{c.id}.md" for c in items]})
    entries.append({"Case categories": categories})
    entries.append({"Service levels": present("sla.md", "priorities.md", "calendars.md")})
    entries.append({"Escalation": present("escalation.md", "raci.md", "authority.md")})
    for title, folder in (("Recovery scripts", "recovery"), ("Training", "training"), ("Forms", "forms")):
        if under(folder):
            entries.append({title: under(folder)})
    quality = under("qa") + present("kpis.md")
    if quality:
        entries.append({"Quality and KPIs": quality})
    reference = present("policies.md", "printouts.md", "rules.md", "tags.md")
    entries.append({"Reference": reference})
    titles = {p.path: p.title for p in pages}
    return [_bounded(entry, titles) if isinstance(entry, dict) else entry for entry in entries]


NAV_FANOUT = 40
"""At most this many pages in one nav section; longer lists are split into sub-sections,
so that (with pruning) every page carries a nav of about the same size, however large the
playbook grows — otherwise MkDocs' time per page grows with the number of pages."""

PRUNE_ABOVE = 200
"""Sites with more pages render only the open part of the nav in each page (Material's
``navigation.prune``, without ``navigation.sections``): closed sections and groups become
links to their first page, so a page's nav stays the same size however large the site."""


def _bounded(section: dict[str, list[Any]], titles: dict[str, str]) -> dict[str, list[Any]]:
    """``section`` with every list longer than :data:`NAV_FANOUT` split, alphabetically, into
    sub-sections labelled like a dictionary's guide words ("Damaged item – Late delivery")."""
    ((label, items),) = section.items()
    items = [_bounded(item, titles) if isinstance(item, dict) else item for item in items]
    index = [i for i in items if isinstance(i, str) and (i == "index.md" or i.endswith("/index.md"))][:1]
    rest = [i for i in items if i not in index]
    if len(rest) <= NAV_FANOUT:
        return {label: items}

    def name(item: Any) -> str:
        return html.unescape(next(iter(item))) if isinstance(item, dict) else titles.get(item, item)

    rest.sort(key=lambda item: (name(item).casefold(), name(item)))
    ends = [(name(item), name(item)) for item in rest]  # guide words follow the sort key
    while len(rest) > NAV_FANOUT:
        groups = -(-len(rest) // NAV_FANOUT)
        size = -(-len(rest) // groups)  # even groups: 41 pages make 21 + 20, not 40 + 1
        starts = range(0, len(rest), size)
        ends = [(ends[i][0], ends[min(i + size, len(ends)) - 1][1]) for i in starts]
        rest = [{_guide_words(*end): rest[i : i + size]} for i, end in zip(starts, ends, strict=True)]
    return {label: [*index, *rest]}


def _guide_words(first: str, last: str, width: int = 24) -> str:
    def short(title: str) -> str:
        title = " ".join(title.split())
        return title if len(title) <= width else title[: width - 1].rstrip() + "…"

    return html_text(f"{short(first)} – {short(last)}")


def mkdocs_config(
    site: SiteView, pages: list[Page], *, offline: bool, version_selector: str | None = None
) -> dict[str, Any]:
    """The generated ``mkdocs.yml``: Material with standard features only, nothing fetched
    from another host (no Google Fonts, no CDN), strict link validation. With
    ``version_selector`` (the version or alias readers should be sent to), Material's mike
    version selector and its outdated-version banner are on."""
    palette: dict[str, str] = {}
    if site.site_settings.get("primary_color"):
        palette["primary"] = str(site.site_settings["primary_color"])
    if site.site_settings.get("accent_color"):
        palette["accent"] = str(site.site_settings["accent_color"])
    theme: dict[str, Any] = {
        "name": "material",
        "custom_dir": "overrides",
        "language": "en",
        "font": False,
        "features": [
            "navigation.sections",
            "navigation.indexes",
            "navigation.top",
            "navigation.footer",
            "search.suggest",
            "search.highlight",
            "toc.follow",
        ],
    }
    if len(pages) > PRUNE_ABOVE:
        # Only the open part of the nav in each page, and top-level sections that fold like
        # the rest (as sections they would list all their groups on every page).
        theme["features"].remove("navigation.sections")
        theme["features"].append("navigation.prune")
    if palette:
        theme["palette"] = palette
    copyright_text = f"{site.organisation} · Version {site.version} · in force from {site.effective_text}"
    extra: dict[str, Any] = {
        "generator": False,
        "playbook": {
            "organisation": html_text(site.organisation),
            "version": html_text(site.version),
            "effective_date": html_text(site.effective_date),
            "effective_text": html_text(site.effective_text),
        },
    }
    if version_selector:
        # Read from versions.json next to the published versions: same host, no request elsewhere.
        extra["version"] = {"provider": "mike", "default": version_selector}
    plugins: list[Any] = [{"search": {"lang": "en"}}, {"tags": {"export": False}}]
    if offline:
        # The offline plugin would add a polyfill from unpkg.com; ours ships in the site.
        extra["polyfills"] = ["assets/javascripts/iframe-worker-shim.js"]
        plugins.append("offline")
    config: dict[str, Any] = {
        "site_name": html_text(site.name),
        "copyright": html_text(copyright_text),
        "docs_dir": "docs",
        "use_directory_urls": not offline,
        "theme": theme,
        "extra": extra,
        "extra_css": ["assets/stylesheets/playbook.css"],
        "plugins": plugins,
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "fenced_code",
            "md_in_html",
            "tables",
            {"toc": {"permalink": True}},
        ],
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
        "nav": nav(pages, site),
    }
    return config


def front_matter(page: Page) -> str:
    meta = {"title": html_text(page.title), **page.meta}
    if "tags" in meta:
        meta["tags"] = [html_text(tag) for tag in dict.fromkeys(meta["tags"])]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def site_environment(playbook: Playbook, site: SiteView) -> jinja2.Environment:
    def finalize(value: object) -> object:
        # Names printed without the inline filter are escaped by Jinja, but braces would stay
        # Markdown: "Team lead {: onclick=alert(1) }" is an attribute list (attr_list).
        if isinstance(value, str) and not isinstance(value, Markup) and "{" in value:
            return Markup(str(escape(value)).replace("{", "&#123;"))
        return value

    env = environment(playbook.root, "site", finalize)
    values = site.values

    def markdown(value: object) -> Markup:
        return Markup(_no_images(str(text.markdown(str(value), values))))

    def inline(value: object) -> Markup:
        return Markup(_no_images(str(text.inline(str(value), values))))

    def plain(value: object) -> str:
        return text.plain(str(value), values)

    def role_item(role_id: object) -> Item | None:
        return site.role(role_id)

    def phone_link(number: object) -> Markup:
        dial = re.sub(r"[^0-9+]", "", str(number))
        return Markup(f"[{text.inline(str(number))}](tel:{quote(dial, safe='+')})")

    def email_link(address: object) -> Markup:
        return Markup(f"[{text.inline(str(address))}](mailto:{quote(str(address), safe='@.+-_')})")

    env.filters.update(
        alt_text=alt_text,
        role_item=role_item,
        phone_link=phone_link,
        email_link=email_link,
        markdown=markdown,
        inline=inline,
        plain=plain,
        long_date=long_date,
        duration=duration_words,
        short_duration=short_duration,
        money=site.money,
    )
    env.globals.update(site=site, raci_names=RACI_NAMES, raci_letters=RACI_LETTERS)
    return env


def site_files(
    playbook: Playbook,
    *,
    pdf: bool = False,
    offline: bool = False,
    version_selector: str | None = None,
    whats_new: WhatsNew | None = None,
) -> SiteFiles:
    """Render the whole site source. Raises :class:`PlaybookError` on a template error."""
    files: dict[str, str] = {}
    plan = render_site(
        playbook,
        files.__setitem__,
        pdf=pdf,
        offline=offline,
        version_selector=version_selector,
        whats_new=whats_new,
    )
    return SiteFiles(files, plan.pages, plan.sources)


def write_site(
    playbook: Playbook,
    dest: Path,
    *,
    pdf: bool = False,
    offline: bool = False,
    version_selector: str | None = None,
    whats_new: WhatsNew | None = None,
) -> SiteFiles:
    """Render the site source straight into ``dest``, one file at a time, so that a large
    playbook's pages are never all in memory at once (``files`` of the result is empty)."""

    def write(relpath: str, content: str) -> None:
        target = dest / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")

    return render_site(
        playbook, write, pdf=pdf, offline=offline, version_selector=version_selector, whats_new=whats_new
    )


def render_site(
    playbook: Playbook,
    emit: Callable[[str, str], None],
    *,
    pdf: bool,
    offline: bool,
    version_selector: str | None,
    whats_new: WhatsNew | None = None,
) -> SiteFiles:
    """Render every file of the site source and hand each to ``emit(relpath, text)`` as soon
    as it is ready. ``whats_new`` is what the build read about the previous version (without
    it, the page says it was not read)."""
    site = SiteView(playbook, pdf=pdf)
    env = site_environment(playbook, site)
    pages = plan_pages(site, whats_new or unread(playbook))
    templates: dict[str, jinja2.Template] = {}
    for page in pages:
        try:
            template = templates.get(page.template)
            if template is None:
                template = templates[page.template] = env.get_template(page.template)

            def link(target: str, page: Page = page) -> str:
                return page_link(page.path, target)

            body = template.render(page=page, link=link, **page.context)
        except jinja2.TemplateError as error:
            raise PlaybookError([template_problem(error, playbook.root)]) from error
        emit(f"docs/{page.path}", front_matter(page) + body)
    for category in site.categories:
        emit(f"docs/diagrams/{category.id}.svg", escalation_svg(playbook, category))
    emit("docs/diagrams/escalation-model.svg", escalation_model_svg(playbook))
    for relpath, content in static_files(playbook.root):
        emit(relpath, content)
    config = mkdocs_config(site, pages, offline=offline, version_selector=version_selector)
    emit("mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000))
    sources = {page.path: page.source for page in pages if page.source is not None}
    return SiteFiles({}, [p.path for p in pages], sources)


STATIC = {"assets": "docs/assets", "overrides": "overrides"}
"""Folders under templates/site/ copied as they are: extra CSS/JS into docs/, theme overrides."""


def static_files(playbook_root: Path) -> Iterator[tuple[str, str]]:
    """(build-relative path, text) of the static files; the playbook's own copies win."""
    seen: set[str] = set()
    for base in (playbook_root / "templates" / "site", resource_dir("templates") / "site"):
        for folder, target in STATIC.items():
            root = base / folder
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if not path.is_file():
                    continue
                relpath = f"{target}/{path.relative_to(root).as_posix()}"
                if relpath not in seen:
                    seen.add(relpath)
                    yield relpath, path.read_text(encoding="utf-8")


def write_files(files: Mapping[str, str], dest: Path) -> None:
    """Write ``files`` (relative path → text) under ``dest``."""
    for relpath, content in sorted(files.items()):
        target = dest / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")


def template_problem(error: BaseException, playbook_root: Path) -> Problem:
    """A template error as a problem at the template's file and line."""
    where, line = _template_location(error)
    path = where
    if where:
        try:
            path = Path(where).resolve().relative_to(playbook_root.resolve()).as_posix()
        except ValueError:
            path = where
    message = str(error) if not isinstance(error, jinja2.TemplateSyntaxError) else error.message or str(error)
    kind = type(error).__name__
    return Problem(
        path or "templates/site",
        line or 1,
        1,
        "template-error",
        "error",
        f"{kind}: {' '.join(str(message).split())}; fix the template (it must not use a value the "
        "playbook does not have)",
    )


def _template_location(error: BaseException) -> tuple[str, int]:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return error.filename or error.name or "", error.lineno
    found = ("", 0)
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith((".md", ".html", ".j2")) and Path(frame.filename).exists():
            found = (frame.filename, frame.lineno or 0)
    return found
