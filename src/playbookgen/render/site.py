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
import importlib
import importlib.util
import posixpath
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup, escape

from playbookgen import text, views
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render import environment
from playbookgen.render.svg import describe_path, escalation_model_svg, escalation_svg
from playbookgen.resources import resource_dir
from playbookgen.views.typed import CategoryView, PlaybookView, PriorityView, Ref
from playbookgen.wording import N_, RACI_LETTERS, Wording

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
        N_("In store"),
        N_("In store"),
        N_("Returns, complaints and problems customers bring to the shop."),
        frozenset({"store"}),
        "offline",
    ),
    Audience(
        "agents",
        N_("Agents (call, chat, email)"),
        N_("Agents"),
        N_("Cases that come in by phone, chat, email and messages."),
        frozenset({"bpo"}),
        "online",
    ),
    Audience(
        "leaders",
        N_("Case owners & leaders"),
        N_("Case owners & leaders"),
        N_("Escalations, SLAs, authority, RACI, quality and KPIs."),
        frozenset({"case-team", "leadership"}),
    ),
    Audience(
        "trainers",
        N_("Trainers"),
        N_("Trainers"),
        N_("Training modules, printouts, the QA scorecard and what changed."),
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


@dataclass(frozen=True)
class CategoryPage:
    """A category's typed view with what only its site page adds: diagram and tags."""

    view: CategoryView
    diagram: str
    diagram_alt: str
    tags: tuple[str, ...]

    @property
    def item(self) -> Item | None:
        return self.view.item

    def __getattr__(self, name: str) -> Any:
        return getattr(self.view, name)


@dataclass
class SiteFiles:
    """Everything MkDocs needs, as text: ``mkdocs.yml``, ``docs/**`` and ``overrides/**``."""

    files: dict[str, str]
    pages: list[str]
    sources: dict[str, str]
    """Page path → the playbook file it comes from."""


# --- text helpers ---------------------------------------------------------------------------


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
        self.view = PlaybookView(playbook)
        self.words: Wording = self.view.words
        self.values = self.view.policy_values
        self.currency = self.words.currency
        settings = playbook.settings
        organisation = settings.get("organisation") or {}
        self.name = str(settings.get("name", "Playbook"))
        self.organisation = str(organisation.get("name", ""))
        self.description = organisation.get("description")
        self.website = organisation.get("website")
        self.version = str(settings.get("version", ""))
        self.effective_date = str(settings.get("effective_date", ""))
        self.effective_text = self.words.date(self.effective_date)
        self.audiences = tuple(
            replace(a, title=self.words._(a.title), tag=self.words._(a.tag), blurb=self.words._(a.blurb))
            for a in AUDIENCES
        )
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
        self.matrix: dict[tuple[str, str], PriorityView] = {
            cell: priority
            for cell, priority_id in self.view.matrix.items()
            if (priority := self.view.priority(priority_id)) is not None
        }
        self.sla_policies = playbook.all("sla-policy")
        self.sla = {p.id: self.view.sla_rows(p.id) for p in self.sla_policies}
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
        self.authority = self.view.authority
        self.limits = self.view.limits
        self.period = self.view.period
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
        self._category_pages: dict[str, CategoryPage] = {}

    # small lookups the templates call
    def role(self, role_id: object) -> Item | None:
        return self.playbook.get("role", str(role_id))

    def item(self, kind: str, item_id: object) -> Item | None:
        return self.playbook.get(kind, str(item_id))

    def name_of(self, kind: str, item_id: object) -> str:
        found = self.playbook.get(kind, str(item_id))
        return found.name if found is not None else str(item_id)

    def money(self, amount: object) -> str:
        return self.words.money(amount)

    def level_caption(self, role: Item | Ref | None) -> str:
        found = self.view.role(role.id) if role is not None else None
        return found.caption if found is not None else ""

    def calendar_words(self, calendar: Item | Ref | None) -> str:
        found = self.view.calendar(calendar.id) if calendar is not None else None
        return found.hours if found is not None else ""

    def priority_label(self, priority: Item | Ref | None) -> str:
        """'P1 Critical': the one label of a priority, wherever it is shown."""
        if priority is None:
            return ""
        found = priority if isinstance(priority, PriorityView) else self.view.priority(priority.id)
        return found.label if found is not None else priority.name

    def priority_labels(self) -> list[str]:
        return [self.priority_label(p) for p in self.priorities]

    def categories_at(self, priority_id: str) -> list[str]:
        """Ids of the categories whose default impact and urgency give ``priority_id``."""
        return [
            c.id for c in self.categories if (p := self.priority_of(c)) is not None and p.id == priority_id
        ]

    def framework_stages(self, framework: str) -> str:
        return ", ".join(self.words.stage_name(s) for s in views.FRAMEWORKS.get(framework, ()))

    def stage_name(self, stage: str) -> str:
        return self.words.stage_name(stage)

    def kpi_target(self, kpi: Item) -> str:
        """'at least 85%', 'at most 7 minutes (420 seconds)'."""
        return self.view.kpi(kpi).target

    def model_alt(self) -> str:
        levels = "; ".join(self.words.level_caption(lv.data.get("level"), lv.name) for lv in self.levels)
        return self.words._("Escalation model: %(levels)s.", levels=levels)

    @property
    def edit_base(self) -> str:
        """The address to which a source file's path is appended for an 'edit' link, or ''."""
        repo = self.site_settings.get("repo_url")
        if not repo:
            return ""
        edit = str(self.site_settings.get("edit_uri") or "edit/main/playbook/").strip("/")
        return f"{str(repo).rstrip('/')}/{edit}/"

    def priority_of(self, category: Item) -> PriorityView | None:
        return self.view.priority_of(category)

    def pdf_path(self, kind: str, item_id: str, edition: str = "") -> str | None:
        """The docs path of a PDF the print step writes, or None when PDFs are not built."""
        if not self.pdf:
            return None
        folder = {"form": "forms", "training": "training", "qa": "qa", "cheat-sheet": "cheat-sheets"}[kind]
        suffix = f"-{edition}" if edition else ""
        return f"{PDF_DIR}/{folder}/{item_id}{suffix}.pdf"

    def raci(self, activity: Item) -> dict[str, tuple[Ref, ...]]:
        """Roles by RACI letter for one activity (an entry like 'A/R' counts for both)."""
        return dict(self.view.raci(activity))

    def raci_roles(self) -> tuple[Ref, ...]:
        """Roles that appear in the RACI matrix, in roles.yaml order."""
        return self.view.raci_matrix.roles

    def goodwill(self, role_ids: list[str] | None = None) -> tuple[Any, ...]:
        """Goodwill limits per role (authority.yaml order), optionally only for ``role_ids``."""
        return self.view.goodwill(role_ids)

    def caps_by_type(self) -> dict[tuple[str, str], Any]:
        """(compensation type, role) → per-case and per-customer caps, for the authority matrix."""
        return self.view.caps_by_type()

    def sla_warnings(self, policy: Item) -> tuple[str, ...]:
        return self.view.sla_notes(policy.id)

    def families(self, category: Item) -> set[str]:
        return views.channel_families(self.playbook, [str(c) for c in category.data.get("channels", [])])

    def audience_tags(self, category: Item) -> list[str]:
        families = self.families(category)
        tags = [a.tag for a in self.audiences if a.family is not None and a.family in families]
        owner = self.role(category.data.get("owner"))
        if owner is not None and owner.data.get("group") in self.audiences[2].groups:
            tags.append(self.audiences[2].tag)
        return tags

    def category(self, item: Item) -> CategoryPage:
        """Everything the category page shows, computed once per category."""
        page = self._category_pages.get(item.id)
        if page is None:
            page = CategoryPage(
                self.view.category(item.id),
                f"diagrams/{item.id}.svg",
                describe_path(self.view.category(item.id), self.words),
                tuple(self.audience_tags(item)),
            )
            self._category_pages[item.id] = page
        return page

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


# --- rules reference (when the rules package provides a registry) -----------------------------


def rules_reference() -> list[dict[str, Any]] | None:
    """Id, default severity, summary and documentation of every rule and built-in check, from
    ``playbookgen.rules.rule_docs()``; None when the rules package does not provide it."""
    try:
        rules = importlib.import_module("playbookgen.rules")
    except ImportError:
        return None
    rule_docs = getattr(rules, "rule_docs", None)
    if not callable(rule_docs):
        return None
    entries = []
    for doc in rule_docs():
        body = str(getattr(doc, "doc_markdown", "") or "")
        summary = str(getattr(doc, "summary", "") or "")
        entries.append(
            {
                "id": str(doc.id),
                "severity": str(getattr(doc, "severity", "")),
                "summary": summary,
                # Documentation written in playbookgen's own source, not in the playbook: trusted.
                "body": Markup(body),
                "stage": str(getattr(doc, "stage", "rules")),
            }
        )
    return entries


# --- pages ----------------------------------------------------------------------------------


def whats_new(site: SiteView) -> Markup:
    """The policy changes since the version named by ``previous`` in playbook.yaml, already
    escaped by the diff's Markdown renderer (or a sentence saying why there is none)."""
    from playbookgen.diff import whats_new_markdown

    return Markup(whats_new_markdown(site.playbook.root, current=site.playbook, heading_level=2))


def plan_pages(site: SiteView) -> list[Page]:
    """Every page of the site, in nav order."""
    _ = site.words._
    pages = [Page("index.md", "pages/home.md", _("Home"), {"audiences": site.audiences}, "playbook.yaml")]
    pages.append(
        Page(
            "whats-new.md",
            "pages/whats-new.md",
            _("What's new"),
            {"changes": whats_new(site)},
            "playbook.yaml",
        )
    )
    for audience in site.audiences:
        pages.append(
            Page(
                f"for/{audience.id}.md",
                "pages/audience.md",
                audience.title,
                site.audience(audience),
                meta={"search": {"boost": 0.5}},
            )
        )
    pages.append(Page("categories/index.md", "pages/categories.md", _("Case categories")))
    for category in site.categories:
        view = site.category(category)
        channel_tags = [c.name for c in view.channels]
        pages.append(
            Page(
                f"categories/{category.id}.md",
                "pages/category.md",
                category.name,
                {"c": view, "category": category},
                category.doc.relpath,
                {"tags": [*view.tags, *channel_tags], "search": {"boost": 3}},
            )
        )
    pages += [
        Page("sla.md", "pages/sla.md", _("SLA targets"), {}, "sla.yaml"),
        Page("priorities.md", "pages/priorities.md", _("Priority matrix"), {}, "priorities.yaml"),
        Page("calendars.md", "pages/calendars.md", _("Business hours and calendars"), {}, "calendars.yaml"),
        Page("escalation.md", "pages/escalation.md", _("Escalation model and roles"), {}, "roles.yaml"),
        Page("raci.md", "pages/raci.md", _("Who does what (RACI)"), {}, "raci.yaml"),
    ]
    if site.authority:
        pages.append(
            Page("authority.md", "pages/authority.md", _("Goodwill authority"), {}, "authority.yaml")
        )
    if site.scripts:
        pages.append(Page("recovery/index.md", "pages/recovery-index.md", _("Recovery scripts")))
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
        pages.append(Page("training/index.md", "pages/training-index.md", _("Training modules")))
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
        pages.append(Page("forms/index.md", "pages/forms-index.md", _("Forms")))
        for form in site.forms:
            pages.append(
                Page(f"forms/{form.id}.md", "pages/form.md", form.name, {"f": form}, form.doc.relpath)
            )
    if site.scorecards:
        pages.append(Page("qa/index.md", "pages/qa-index.md", _("Quality assurance")))
        for card in site.scorecards:
            pages.append(Page(f"qa/{card.id}.md", "pages/qa.md", card.name, {"q": card}, card.doc.relpath))
    if site.kpis:
        pages.append(Page("kpis.md", "pages/kpis.md", _("KPI glossary"), {}, "kpis.yaml"))
    if site.policies:
        pages.append(Page("policies.md", "pages/policies.md", _("Policy values"), {}, "policies.yaml"))
    if site.pdf:
        pages.append(Page("printouts.md", "pages/printouts.md", _("Printouts")))
    rules = rules_reference()
    if rules is not None:
        pages.append(Page("rules.md", "pages/rules.md", _("Rules reference"), {"rules": rules}))
    pages.append(Page("tags.md", "pages/tags.md", _("Tags")))
    return pages


def nav(pages: list[Page], site: SiteView) -> list[Any]:
    """The MkDocs nav: sections by what readers look for; categories grouped by area."""
    paths = {p.path for p in pages}

    def present(*candidates: str) -> list[str]:
        return [c for c in candidates if c in paths]

    def under(folder: str) -> list[str]:
        return [p.path for p in pages if p.path.startswith(f"{folder}/")]

    _ = site.words._
    entries: list[Any] = present("index.md", "whats-new.md")
    entries.append({_("For you"): [f"for/{a.id}.md" for a in AUDIENCES]})
    categories: list[Any] = ["categories/index.md"]
    for area, items in site.areas.items():
        categories.append({html_text(area): [f"categories/{c.id}.md" for c in items]})
    entries.append({_("Case categories"): categories})
    entries.append({_("Service levels"): present("sla.md", "priorities.md", "calendars.md")})
    entries.append({_("Escalation"): present("escalation.md", "raci.md", "authority.md")})
    for title, folder in (
        (_("Recovery scripts"), "recovery"),
        (_("Training"), "training"),
        (_("Forms"), "forms"),
    ):
        if under(folder):
            entries.append({title: under(folder)})
    quality = under("qa") + present("kpis.md")
    if quality:
        entries.append({_("Quality and KPIs"): quality})
    reference = present("policies.md", "printouts.md", "rules.md", "tags.md")
    entries.append({_("Reference"): reference})
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
        "language": theme_language(site.words),
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
    copyright_text = site.words._(
        "%(organisation)s · Version %(version)s · in force from %(date)s",
        organisation=site.organisation,
        version=site.version,
        date=site.effective_text,
    )
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
    plugins: list[Any] = [{"search": {"lang": search_language(site.words)}}, {"tags": {"export": False}}]
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


def _material_file(*parts: str) -> Path:
    """A file of the installed Material theme (found without importing it)."""
    spec = importlib.util.find_spec("material")
    origin = spec.origin if spec is not None and spec.origin else "."
    return Path(origin).parent.joinpath("templates", *parts)


def theme_language(words: Wording) -> str:
    """Material's UI language for the playbook's locale ('pt-BR', else 'pt'; English when
    Material has no translation)."""
    for candidate in (words.tag, words.language):
        if _material_file("partials", "languages", f"{candidate}.html").is_file():
            return candidate
    return "en"


def search_language(words: Wording) -> str:
    """The search index language (stemming, stop words) Material supports for the locale."""
    language = words.language
    if (
        language == "en"
        or _material_file("assets", "javascripts", "lunr", "min", f"lunr.{language}.min.js").is_file()
    ):
        return language
    return "en"


def front_matter(page: Page) -> str:
    meta = {"title": html_text(page.title), **page.meta}
    if "tags" in meta:
        meta["tags"] = [html_text(tag) for tag in dict.fromkeys(meta["tags"])]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def site_environment(playbook: Playbook, site: SiteView) -> jinja2.Environment:
    def finalize(value: object) -> object:
        # Names printed without the inline filter are escaped by Jinja, but braces would stay
        # Markdown: "Team lead {: onclick=alert(1) }" is an attribute list (attr_list).
        if isinstance(value, Ref):
            value = str(value)
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
        long_date=site.words.date,
        duration=site.words.duration,
        short_duration=site.words.short_duration,
        money=site.words.money,
    )
    raci_names = {letter: site.words.raci_word(letter) for letter in RACI_LETTERS}
    env.globals.update(site=site, raci_names=raci_names, raci_letters=RACI_LETTERS, words=site.words)
    return env


def site_files(
    playbook: Playbook, *, pdf: bool = False, offline: bool = False, version_selector: str | None = None
) -> SiteFiles:
    """Render the whole site source. Raises :class:`PlaybookError` on a template error."""
    files: dict[str, str] = {}
    plan = render_site(
        playbook, files.__setitem__, pdf=pdf, offline=offline, version_selector=version_selector
    )
    return SiteFiles(files, plan.pages, plan.sources)


def write_site(
    playbook: Playbook,
    dest: Path,
    *,
    pdf: bool = False,
    offline: bool = False,
    version_selector: str | None = None,
) -> SiteFiles:
    """Render the site source straight into ``dest``, one file at a time, so that a large
    playbook's pages are never all in memory at once (``files`` of the result is empty)."""

    def write(relpath: str, content: str) -> None:
        target = dest / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")

    return render_site(playbook, write, pdf=pdf, offline=offline, version_selector=version_selector)


def render_site(
    playbook: Playbook,
    emit: Callable[[str, str], None],
    *,
    pdf: bool,
    offline: bool,
    version_selector: str | None,
) -> SiteFiles:
    """Render every file of the site source and hand each to ``emit(relpath, text)`` as soon
    as it is ready."""
    site = SiteView(playbook, pdf=pdf)
    env = site_environment(playbook, site)
    pages = plan_pages(site)
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
        emit(f"docs/diagrams/{category.id}.svg", escalation_svg(site.view.category(category.id), site.words))
    emit("docs/diagrams/escalation-model.svg", escalation_model_svg(site.view))
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
