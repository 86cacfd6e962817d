"""The built reference site in real headless Chromium: search, a category page on a phone,
no request to another host, no console errors, and no serious accessibility violations.

Chromium is Debian's /usr/bin/chromium driven by Playwright. Without it these tests skip,
except when PLAYBOOKGEN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from playbookgen.build import build

from .conftest import REFERENCE, REPO

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 360, "height": 740}


def unavailable(reason: str) -> None:
    if os.environ.get("PLAYBOOKGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and PLAYBOOKGEN_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log in the test output."""


@dataclass
class Site:
    root: Path
    url: str


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The reference playbook built once (without PDFs) and served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build(REFERENCE, out, pdf=False)
    assert result.ok, result.problems
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(out, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Tab:
    """A page with every request and console error it caused."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        foreign = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about", "file"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                foreign.append(url)
        return foreign


@pytest.fixture
def open_tab(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def opener(viewport: dict[str, int] | None = None) -> Tab:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page)
        context.on("request", lambda request: tab.requests.append(request.url))
        page.on(
            "console", lambda message: tab.errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        return tab

    yield opener
    for context in contexts:
        context.close()


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
    sla = page.locator("table.pb-table", has=page.locator("caption", has_text="SLA targets"))
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
