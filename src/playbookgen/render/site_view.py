"""What the site's pages read: the typed views of the playbook with what only the site adds
(audiences, page plans, per-category diagrams and tags), built once per build."""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from typing import Any

from playbookgen import views
from playbookgen.model import Item, Playbook
from playbookgen.render.svg import describe_path
from playbookgen.views import learning
from playbookgen.views.briefings import briefing_pdf
from playbookgen.views.decision import DecisionView, decision
from playbookgen.views.typed import CategoryView, PlaybookView, PriorityView, Ref, ordered_categories
from playbookgen.wording import N_, Wording

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
    """A category's typed view with what only its site page adds: diagram, tags and the
    'Can I fix it now?' aid."""

    view: CategoryView
    diagram: str
    diagram_alt: str
    tags: tuple[str, ...]
    decision: DecisionView

    @property
    def item(self) -> Item | None:
        return self.view.item

    def __getattr__(self, name: str) -> Any:
        return getattr(self.view, name)


def html_text(value: object) -> str:
    """Plain text escaped for the places MkDocs prints a value without escaping it."""
    return html.escape(" ".join(str(value).split()), quote=True)


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
        self.contacts = self.view.contacts()
        self.history = [h for h in settings.get("history", []) if isinstance(h, dict)]
        self.site_settings: dict[str, Any] = settings.get("site") or {}
        self.roles = playbook.all("role")
        self.levels = sorted(playbook.all("level"), key=lambda lv: int(lv.data.get("level", 0)))
        self.categories = ordered_categories(playbook)
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
        self.kpis = self.view.kpis()
        self.policies = sorted((self.view.policy(p) for p in playbook.all("policy")), key=lambda p: p.name)
        self.calendars = tuple(
            view for c in playbook.all("calendar") if (view := self.view.calendar(c.id)) is not None
        )
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
        self.rendering = "index.md"
        """The page being rendered (set by render_site): where links written into prose start."""

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

    def handouts(self, module: Item) -> tuple[learning.Handout, ...]:
        """A training module's handouts (each printed as its own PDF)."""
        return learning.handouts(module)

    def printout(self, relpath: str | None) -> str | None:
        """The docs path of a PDF given relative to the PDF folder, or None when PDFs are not built."""
        if not self.pdf or not relpath:
            return None
        return f"{PDF_DIR}/{relpath}"

    def briefing_pdf(self, audience_id: str, edition: str = "") -> str | None:
        """The docs path of a change briefing's PDF (``trainer``: the copy with the answers)."""
        if not self.pdf:
            return None
        return f"{PDF_DIR}/{briefing_pdf(audience_id, edition)}"

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
                decision(self.view, self.view.category(item.id)),
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
            "support": self.view.support_for(
                c.id for c in self.channels if audience.family and c.data.get("family") == audience.family
            ),
        }

    def latest_history(self) -> dict[str, Any] | None:
        for entry in self.history:
            if str(entry.get("version")) == self.version:
                return entry
        return self.history[0] if self.history else None
