"""The playbook site as files: one Markdown page per thing a reader looks up, the escalation
diagrams as SVG, a generated ``mkdocs.yml`` and the theme overrides, ready for MkDocs.

Pages come from the Jinja templates under ``templates/site/pages/`` (a playbook's own
``templates/site/`` wins). Every text from YAML reaches a page through the ``markdown`` or
``inline`` filter or Jinja's autoescape, so raw HTML in it shows as text. Values that MkDocs'
own (not autoescaping) templates print — page titles, nav sections, tags, the site name —
are HTML-escaped here, once.

(A little over 600 lines: planning the pages and rendering them share the page list; the nav
and mkdocs.yml are in mkdocs_config.py, the site's view in site_view.py.)
"""

from __future__ import annotations

import posixpath
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup, escape

from playbookgen import text
from playbookgen.lastchanged import LastChanged
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render import environment
from playbookgen.render.mkdocs_config import mkdocs_config
from playbookgen.render.site_view import Page, SiteView, html_text
from playbookgen.render.svg import escalation_model_svg, escalation_svg
from playbookgen.resources import resource_dir
from playbookgen.rules import rule_docs
from playbookgen.views import documents, learning
from playbookgen.views.briefings import briefings
from playbookgen.views.news import news_view
from playbookgen.views.typed import Ref
from playbookgen.whatsnew import NO_PREVIOUS, WhatsNew, unread
from playbookgen.wording import RACI_LETTERS, Wording

if TYPE_CHECKING:
    from playbookgen.measure.attainment import Report
    from playbookgen.staffing import StaffingPlan


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


def page_link(page: str, target: str) -> str:
    """A link from docs page ``page`` to docs path ``target`` (with an optional #anchor)."""
    path, _, anchor = target.partition("#")
    relative = "" if path == page else posixpath.relpath(path, posixpath.dirname(page) or ".")
    return f"{relative}#{anchor}" if anchor else relative


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


def whats_new_reason(news: WhatsNew, words: Wording) -> str:
    """Why What's new shows no changes, in the reader's words ('' when it shows some)."""
    if news.changelog is not None:
        return ""
    return words._(NO_PREVIOUS) if news.reason == NO_PREVIOUS else news.reason


ID_LINK_FOLDERS = {"category": "categories", "form": "forms", "recovery": "recovery", "training": "training"}
"""Items whose id, written in bold in prose ('**late-delivery**'), becomes a link with their name."""
_BOLD_ID = re.compile(r"\*\*([a-z0-9][a-z0-9-]{0,63})\*\*")

CATEGORY_BOOST = 5
"""How much more a category page weighs in search than other pages: clerks search for cases."""
REFERENCE_BOOST: dict[str, Any] = {"search": {"boost": 2}}
"""Search weight of the pages people look up by name: audiences, SLA, priorities, escalation, goodwill."""
WIDE_PAGE: dict[str, Any] = {"hide": ["toc"]}
"""Pages built around one matrix give it the table of contents' width on a desk screen."""


def plan_pages(
    site: SiteView, news: WhatsNew, staffing: StaffingPlan | None = None, performance: Report | None = None
) -> list[Page]:
    """Every page of the site, in nav order; ``news`` is what the build read about the
    previous version, ``staffing`` a staffing plan the build made from a forecast."""
    _ = site.words._
    pages = [Page("index.md", "pages/home.md", _("Home"), {"audiences": site.audiences}, "playbook.yaml")]
    pages.append(
        Page(
            "whats-new.md",
            "pages/whats-new.md",
            _("What's new"),
            {"news": None, "reason": whats_new_reason(news, site.words)},
            "playbook.yaml",
        )
    )
    told = briefings(site.playbook, news.changelog, site.words) if news.changelog is not None else None
    if told is not None:
        pages.append(
            Page(
                "briefings/index.md",
                "pages/briefings.md",
                _("Change briefings"),
                {"b": told},
                "playbook.yaml",
            )
        )
        for briefing in told.briefings:
            title = _("Briefing for %(audience)s", audience=briefing.audience.title)
            context = {"b": told, "briefing": briefing}
            pages.append(
                Page(f"briefings/{briefing.id}.md", "pages/briefing.md", title, context, "playbook.yaml")
            )
    briefed = {b.id for b in told.briefings} if told is not None else set()
    for audience in site.audiences:
        pages.append(
            Page(
                f"for/{audience.id}.md",
                "pages/audience.md",
                audience.title,
                {**site.audience(audience), "briefing": audience.id in briefed},
                meta=REFERENCE_BOOST,
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
                {"tags": [*view.tags, *channel_tags], "search": {"boost": CATEGORY_BOOST}},
            )
        )
    pages += [
        Page("sla.md", "pages/sla.md", _("SLA targets"), {}, "sla.yaml", REFERENCE_BOOST),
        Page(
            "priorities.md",
            "pages/priorities.md",
            _("Priority matrix"),
            {},
            "priorities.yaml",
            REFERENCE_BOOST,
        ),
        Page("calendars.md", "pages/calendars.md", _("Business hours and calendars"), {}, "calendars.yaml"),
    ]
    if staffing is not None:
        from playbookgen.render.staffing import STAFFING_PDF, staffing_view

        plan_view = staffing_view(staffing, site.words, STAFFING_PDF if site.pdf else None)
        pages.append(
            Page("staffing.md", "pages/staffing.md", _("Staffing plan"), {"s": plan_view}, "channels.yaml")
        )
    if performance is not None and performance.figures:
        from playbookgen.render.performance import PERFORMANCE_PDF, performance_view

        shown = performance_view(
            site.playbook, performance, site.words, pdf=PERFORMANCE_PDF if site.pdf else None
        )
        pages.append(
            Page(
                "performance.md", "pages/performance.md", _("Service performance"), {"s": shown}, "kpis.yaml"
            )
        )
    pages += [
        Page(
            "escalation.md",
            "pages/escalation.md",
            _("Escalation model and roles"),
            {},
            "roles.yaml",
            REFERENCE_BOOST,
        ),
        Page("raci.md", "pages/raci.md", _("Who does what (RACI)"), {}, "raci.yaml", WIDE_PAGE),
    ]
    if site.authority:
        pages.append(
            Page(
                "authority.md",
                "pages/authority.md",
                _("Goodwill authority"),
                {},
                "authority.yaml",
                {**REFERENCE_BOOST, **WIDE_PAGE},
            )
        )
    if site.scripts:
        pages.append(Page("recovery/index.md", "pages/recovery-index.md", _("Recovery scripts")))
    for script in site.scripts:
        pages.append(
            Page(
                f"recovery/{script.id}.md",
                "pages/recovery.md",
                script.name,
                {"s": documents.recovery(site.view, script)},
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
                    {"t": learning.training(site.view, module)},
                    module.doc.relpath,
                )
            )
    if site.forms:
        pages.append(Page("forms/index.md", "pages/forms-index.md", _("Forms")))
        for form in site.forms:
            pages.append(
                Page(
                    f"forms/{form.id}.md",
                    "pages/form.md",
                    form.name,
                    {"f": documents.form(site.view, form)},
                    form.doc.relpath,
                )
            )
    if site.scorecards:
        pages.append(Page("qa/index.md", "pages/qa-index.md", _("Quality assurance")))
        for card in site.scorecards:
            pages.append(
                Page(
                    f"qa/{card.id}.md",
                    "pages/qa.md",
                    card.name,
                    {"q": learning.scorecard(site.view, card)},
                    card.doc.relpath,
                )
            )
    if site.kpis:
        pages.append(Page("kpis.md", "pages/kpis.md", _("KPI glossary"), {}, "kpis.yaml"))
    if site.policies:
        pages.append(Page("policies.md", "pages/policies.md", _("Policy values"), {}, "policies.yaml"))
    if site.pdf:
        pages.append(Page("printouts.md", "pages/printouts.md", _("Printouts")))
    rules = rules_reference()
    if rules:
        pages.append(
            Page(
                "rules.md",
                "pages/rules.md",
                _("Rules reference"),
                {"rules": rules},
                meta={"search": {"boost": 0.2}},
            )
        )
    pages.append(
        Page("tags.md", "pages/tags.md", _("Tags"), meta={"search": {"exclude": True}, "print_button": False})
    )
    if news.changelog is not None:
        # Filled in last: the changes link to the pages of the items they are about.
        paths = {p.path for p in pages}
        listing = next(p for p in pages if p.path == "whats-new.md")
        listing.context["news"] = news_view(news.changelog, site.playbook, site.words, paths)
    return pages


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

    env = environment(playbook.root, "site", finalize, translations=site.words.translations)
    values = site.values
    pages_of_ids: dict[str, tuple[str, str]] = {}
    for kind, folder in ID_LINK_FOLDERS.items():
        for item in playbook.all(kind):
            pages_of_ids.setdefault(item.id, (f"{folder}/{item.id}.md", item.name))

    def id_links(rendered: str) -> str:
        """'Use **late-delivery** …' in prose becomes a link named 'Late delivery'."""

        def swap(match: re.Match[str]) -> str:
            found = pages_of_ids.get(match.group(1))
            if found is None:
                return match.group(0)
            target, name = found
            label = str(escape(name)).replace("[", "&#91;").replace("]", "&#93;")
            return f"[{label}]({page_link(site.rendering, target)})"

        return _BOLD_ID.sub(swap, rendered)

    def markdown(value: object) -> Markup:
        return Markup(id_links(_no_images(str(text.markdown(str(value), values)))))

    def inline(value: object) -> Markup:
        return Markup(id_links(_no_images(str(text.inline(str(value), values)))))

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
    playbook: Playbook,
    *,
    pdf: bool = False,
    offline: bool = False,
    version_selector: str | None = None,
    whats_new: WhatsNew | None = None,
    staffing: StaffingPlan | None = None,
    performance: Report | None = None,
    alternates: list[dict[str, str]] | None = None,
    last_changed: LastChanged | None = None,
    language_site: str | None = None,
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
        staffing=staffing,
        performance=performance,
        alternates=alternates,
        last_changed=last_changed,
        language_site=language_site,
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
    staffing: StaffingPlan | None = None,
    performance: Report | None = None,
    alternates: list[dict[str, str]] | None = None,
    last_changed: LastChanged | None = None,
    language_site: str | None = None,
) -> SiteFiles:
    """Render the site source straight into ``dest``, one file at a time, so that a large
    playbook's pages are never all in memory at once (``files`` of the result is empty)."""

    def write(relpath: str, content: str) -> None:
        target = dest / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")

    return render_site(
        playbook,
        write,
        pdf=pdf,
        offline=offline,
        version_selector=version_selector,
        whats_new=whats_new,
        staffing=staffing,
        performance=performance,
        alternates=alternates,
        last_changed=last_changed,
        language_site=language_site,
    )


def render_site(
    playbook: Playbook,
    emit: Callable[[str, str], None],
    *,
    pdf: bool,
    offline: bool,
    version_selector: str | None,
    whats_new: WhatsNew | None = None,
    staffing: StaffingPlan | None = None,
    performance: Report | None = None,
    alternates: list[dict[str, str]] | None = None,
    last_changed: LastChanged | None = None,
    language_site: str | None = None,
) -> SiteFiles:
    """Render every file of the site source and hand each to ``emit(relpath, text)`` as soon
    as it is ready. ``whats_new`` is what the build read about the previous version (without
    it, the page says it was not read); ``staffing`` adds the staffing plan's page;
    ``alternates`` are the language selector's entries of a multilingual playbook;
    ``language_site`` is the code of the language whose site this is, when it is not the source
    language's (its site lies in ``<code>/`` under the source language's)."""
    site = SiteView(playbook, pdf=pdf)
    env = site_environment(playbook, site)
    pages = plan_pages(site, whats_new or unread(playbook), staffing, performance)
    templates: dict[str, jinja2.Template] = {}
    review_template: jinja2.Template | None = None
    foot_template = env.get_template("page-foot.md")
    for page in pages:
        try:
            template = templates.get(page.template)
            if template is None:
                template = templates[page.template] = env.get_template(page.template)

            def link(target: str, page: Page = page) -> str:
                return page_link(page.path, target)

            site.rendering = page.path
            body = template.render(page=page, link=link, **page.context)
            review = site.view.review_of_file(page.source) if page.source else None
            if review is not None and review.shown:
                if review_template is None:
                    review_template = env.get_template("review.md")
                body = with_review(body, review_template.render(r=review))
            if page.path not in NO_AIDS:
                changed = last_changed.page(page.source) if last_changed and page.source else None
                feedback = feedback_link(site, page)
                if changed is not None or feedback:
                    body = (
                        body.rstrip("\n") + "\n\n" + foot_template.render(changed=changed, feedback=feedback)
                    )
        except jinja2.TemplateError as error:
            raise PlaybookError([template_problem(error, playbook.root)]) from error
        emit(f"docs/{page.path}", front_matter(page) + body)
    for category in site.categories:
        emit(f"docs/diagrams/{category.id}.svg", escalation_svg(site.view.category(category.id), site.words))
    emit("docs/diagrams/escalation-model.svg", escalation_model_svg(site.view))
    if staffing is not None:
        from playbookgen.render.staffing import charts

        for channel_id, chart in charts(staffing, site.words).items():
            emit(f"docs/staffing/{channel_id}.svg", chart)
    performance_page = next((p for p in pages if p.path == "performance.md"), None)
    if performance_page is not None:
        view = performance_page.context["s"]
        emit("docs/performance/weekly.svg", view.weekly_chart)
        emit("docs/performance/backlog.svg", view.backlog_chart)
    for relpath, content in static_files(playbook.root):
        emit(relpath, content)
    config = mkdocs_config(
        site,
        pages,
        offline=offline,
        version_selector=version_selector,
        alternates=alternates,
        language_site=language_site,
    )
    emit("mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000))
    sources = {page.path: page.source for page in pages if page.source is not None}
    return SiteFiles({}, [p.path for p in pages], sources)


NO_AIDS = frozenset({"tags.md"})
"""Pages without the page foot (nor, by their ``print_button: false``, the print button): the tag
listing is a list of links."""


FEEDBACK_ADDRESS = re.compile(r"^(mailto:[^\s:/?#]+@[^\s/?#]+|https://\S+)$")
"""What ``site.feedback`` may be: the pattern of its schema (schemas/playbook.schema.json),
checked again here for a playbook rendered without being checked."""


def feedback_link(site: SiteView, page: Page) -> str:
    """Where the page's "Tell us" link goes: ``site.feedback`` of playbook.yaml (a mail
    address gets the page's title as its subject), or '' when none is set or it is unsafe."""
    target = str(site.site_settings.get("feedback") or "").strip()
    if not FEEDBACK_ADDRESS.match(target) or not text.is_safe_url(target):
        return ""
    if target.startswith("mailto:") and "?" not in target:
        subject = f"{site.name}: {' '.join(page.title.split())}"
        target += "?subject=" + quote(subject, safe="")
    return target


def with_review(body: str, review: str) -> str:
    """The page with its owner and review dates (and a late review's banner) under its title."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", review.strip("\n"), *lines[index + 1 :]])
    return review.strip("\n") + "\n\n" + body


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
