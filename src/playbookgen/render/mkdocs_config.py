"""The generated ``mkdocs.yml``: the nav (bounded, so every page carries a nav of about the
same size), Material's features, and the UI and search language of the playbook's locale."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

from playbookgen.render.site_view import AUDIENCES, Page, SiteView, html_text
from playbookgen.wording import Wording


def nav(pages: list[Page], site: SiteView) -> list[Any]:
    """The MkDocs nav: sections by what readers look for; categories grouped by area."""
    paths = {p.path for p in pages}

    def present(*candidates: str) -> list[str]:
        return [c for c in candidates if c in paths]

    def under(folder: str) -> list[str]:
        return [p.path for p in pages if p.path.startswith(f"{folder}/")]

    _ = site.words._
    entries: list[Any] = present("index.md", "whats-new.md")
    if under("briefings"):
        entries.append({_("Change briefings"): under("briefings")})
    entries.append({_("For you"): [f"for/{a.id}.md" for a in AUDIENCES]})
    categories: list[Any] = ["categories/index.md"]
    for area, items in site.areas.items():
        categories.append({html_text(area): [f"categories/{c.id}.md" for c in items]})
    entries.append({_("Case categories"): categories})
    entries.append(
        {
            _("Service levels"): present(
                "sla.md", "priorities.md", "calendars.md", "staffing.md", "performance.md"
            )
        }
    )
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
        return str(html.unescape(next(iter(item)))) if isinstance(item, dict) else str(titles.get(item, item))

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
    site: SiteView,
    pages: list[Page],
    *,
    offline: bool,
    version_selector: str | None = None,
    alternates: list[dict[str, str]] | None = None,
    language_site: str | None = None,
) -> dict[str, Any]:
    """The generated ``mkdocs.yml``: Material with standard features only, nothing fetched
    from another host (no Google Fonts, no CDN), strict link validation. With
    ``version_selector`` (the version or alias readers should be sent to), Material's mike
    version selector and its outdated-version banner are on. ``alternates`` (a playbook in
    several languages) are the entries of Material's language selector: each ``link`` is the
    root of that language's site, relative to this site's root; the theme override
    ``partials/alternate.html`` adds the current page's path, so the reader stays on it.
    ``language_site`` (the code of a language other than the source's) says this site lies in
    ``<code>/`` under the source language's: with mike that is ``<version>/<code>/``, where
    Material's selector would look for ``versions.json`` in the version's folder instead of
    mike's root, so the site's script (``playbook.js``) shows the version selector and the
    outdated banner there instead (provider ``playbookgen-language``)."""
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
            "navigation.path",
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
            # Search through the accent-folding worker (assets/javascripts/workers/playbook-search.js);
            # not offline, where the worker runs in an iframe that cannot load a second script.
            "fold_search": not offline,
            # The theme overrides' words, worded here: MkDocs and Zensical render the overrides
            # with their own template engines, which share no gettext with playbookgen.
            "words": {
                "version": html_text(site.words._("Version")),
                "in_force_from": html_text(site.words._("in force from")),
                "outdated": html_text(site.words._("This is an older version of the playbook.")),
                "open_current": html_text(site.words._("Open the version in force.")),
                "tags": html_text(site.words._("Tags")),
                "print": html_text(site.words._("Print this page")),
            },
        },
    }
    if alternates:
        extra["alternate"] = alternates
    if version_selector:
        # Read from versions.json next to the published versions: same host, no request elsewhere.
        provider = "playbookgen-language" if language_site else "mike"
        extra["version"] = {"provider": provider, "default": version_selector}
        # Where the outdated banner sends the reader, from this site's root: the version in
        # force, in the reader's language.
        extra["playbook"]["current_site"] = (
            f"../../{version_selector}/{language_site}/" if language_site else "../"
        )
    plugins: list[Any] = [
        {"search": {"lang": search_language(site.words), "fields": SEARCH_FIELDS}},
        {"tags": {"export": False}},
    ]
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
        "extra_javascript": ["assets/javascripts/playbook.js"],
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


SEARCH_FIELDS = {"title": {"boost": 5}, "text": {"boost": 1}, "tags": {"boost": 1}}
"""Search weights. Material's defaults (title 1000, tags a million) let any page with a
matching section title or tag ("In store", "Email") outrank the category whose keywords and
examples are the clerk's words; page boosts (render/site.py) weigh categories up instead.
Measured by tests/test_search_relevance.py."""


def search_language(words: Wording) -> str:
    """The search index language (stemming, stop words) Material supports for the locale:
    lunr has Vietnamese (word splitting and stop words), Dutch and most European languages. For a
    language it lacks (Icelandic, Greek…) the index falls back to English: whole words are still
    found, but no stemming matches other forms of a word, and English stop words are dropped."""
    language = words.language
    if (
        language == "en"
        or _material_file("assets", "javascripts", "lunr", "min", f"lunr.{language}.min.js").is_file()
    ):
        return language
    return "en"
