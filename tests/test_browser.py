"""The built reference site in real headless Chromium: search, a category page on a phone,
no request to another host, no console errors, and no serious accessibility violations.

Chromium is Debian's /usr/bin/chromium driven by Playwright. Without it these tests skip,
except when PLAYBOOKGEN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from playbookgen.build import build

from .browser_support import (  # noqa: F401 - the rest are read through this module by test_content_corpus
    ARTIFACTS,
    CHROMIUM,
    FLAGS,
    LOCAL_HOSTS,
    PHONE,
    REFERENCE,
    Site,
    Tab,
    _QuietHandler,
    unavailable,
)

pytestmark = pytest.mark.browser


def search(page: Any, query: str) -> None:
    """Type ``query`` into Material's search once its index has loaded."""
    field = page.locator("input.md-search__input")
    field.click()
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')",
        timeout=15000,
    )
    field.press_sequentially(query, delay=20)


def test_search_finds_the_missing_item_category(site: Site, open_tab: Any) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(site.url)
    search(page, "missing")
    result = page.locator(".md-search-result__item", has_text="Missing item").first
    result.wait_for(state="visible", timeout=15000)
    result.locator("a").first.click()
    page.wait_for_url("**/categories/missing-item/**")
    sla = page.get_by_role("table", name="SLA targets for Missing item", exact=True)
    assert sla.is_visible()
    assert sla.locator("tbody tr").count() >= 3
    diagram = page.locator('figure.pb-diagram img[src$="missing-item.svg"]')
    assert diagram.is_visible()
    assert diagram.evaluate("img => img.complete && img.naturalWidth > 0")
    assert tab.foreign_requests() == []
    assert tab.errors == []


@pytest.mark.parametrize("keyword", ["refund", "rude"])
def test_search_finds_categories_by_words_a_clerk_types(site: Site, open_tab: Any, keyword: str) -> None:
    tab = open_tab()
    tab.page.goto(site.url)
    search(tab.page, keyword)
    first = tab.page.locator(".md-search-result__item > a").first
    first.wait_for(state="visible", timeout=15000)
    assert "/categories/" in str(first.get_attribute("href"))
    assert tab.errors == []


def test_category_page_fits_a_phone(site: Site, open_tab: Any) -> None:
    tab = open_tab(PHONE)
    page = tab.page
    page.goto(site.url + "categories/missing-item/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator('figure.pb-diagram img[src$="missing-item.svg"]').evaluate(
        "img => img.getBoundingClientRect().right <= window.innerWidth"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "category-360.png"))
    page.screenshot(path=str(ARTIFACTS / "category-360-full.png"), full_page=True)
    assert tab.foreign_requests() == []
    assert tab.errors == []


@pytest.mark.parametrize(
    "path", ["", "categories/missing-item/", "categories/service-attitude/", "sla/", "escalation/", "raci/"]
)
def test_no_page_scrolls_sideways_on_a_phone(site: Site, open_tab: Any, path: str) -> None:
    tab = open_tab(PHONE)
    tab.page.goto(site.url + path)
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", ["", "categories/missing-item/", "sla/"])
@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(
    site: Site, open_tab: Any, path: str, viewport: dict[str, int] | None
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab = open_tab(viewport)
    tab.page.goto(site.url + path)
    tab.page.wait_for_load_state("networkidle")
    results = Axe().run(tab.page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []
    assert tab.foreign_requests() == []
    assert tab.errors == []


def test_every_page_loads_without_errors_or_foreign_requests(site: Site, open_tab: Any) -> None:
    tab = open_tab()
    pages = sorted(site.root.rglob("index.html"))
    assert len(pages) > 60
    for path in pages:
        relative = path.parent.relative_to(site.root).as_posix()
        tab.page.goto(site.url + ("" if relative == "." else relative + "/"))
    assert tab.foreign_requests() == []
    assert tab.errors == []


def test_offline_bundle_searches_from_file_urls(tmp_path: Path, open_tab: Any) -> None:
    out = tmp_path / "bundle"
    result = build(REFERENCE, out, pdf=False, offline=True)
    assert result.ok, result.problems
    assert (out / "search" / "search_index.js").is_file()
    tab = open_tab()
    page = tab.page
    page.goto((out / "index.html").as_uri())
    search(page, "missing")
    hit = page.locator(".md-search-result__item", has_text="Missing item").first
    hit.wait_for(state="visible", timeout=15000)
    hit.locator("a").first.click()
    page.wait_for_url("**/categories/missing-item.html*")
    assert page.locator('figure.pb-diagram img[src$="missing-item.svg"]').evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )
    assert [url for url in tab.requests if not url.startswith(("file:", "data:", "blob:", "about:"))] == []
    assert tab.errors == []


def test_language_selector_keeps_the_reader_on_the_same_category(site: Site, open_tab: Any) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(site.url + "categories/missing-item/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Missing item"
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="nl"]').click()
    page.wait_for_url("**/nl/categories/missing-item/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Ontbrekend artikel"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="en"]').click()
    page.wait_for_url(site.url + "categories/missing-item/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Missing item"
    assert tab.foreign_requests() == []
    assert tab.errors == []


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("ontbreekt", "Ontbrekend artikel"),
        ("terugbetaling", "Terugbetaling niet ontvangen"),
        ("onbeleefd", "Houding van medewerkers"),
    ],
)
def test_search_in_dutch_finds_the_dutch_category(
    site: Site, open_tab: Any, query: str, category: str
) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(site.url + "nl/")
    search(page, query)
    hit = page.locator(".md-search-result__item", has_text=category).first
    hit.wait_for(state="visible", timeout=15000)
    href = str(page.locator(".md-search-result__item > a").first.get_attribute("href"))
    assert "/nl/categories/" in href or href.startswith("categories/") or "/categories/" in href
    hit.locator("a").first.click()
    page.wait_for_url("**/nl/categories/**")
    assert page.locator("h1").inner_text().rstrip("¶") == category
    assert tab.errors == []
