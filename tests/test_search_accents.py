"""Search that does not depend on how the reader types accents: on the Vietnamese playbook
(tests/examples/vi-small), "het han" typed without tones finds the page about "hết hạn" among the
first three results, as does the query typed with its accents, or typed as decomposed Unicode
(a base letter and combining marks, as some Vietnamese keyboard settings send it).

The search box of the built site is used as a reader uses it (the page's own search worker:
Material's lunr worker started through assets/javascripts/workers/playbook-search.js)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pytest

from playbookgen.build import build

from .browser_support import ARTIFACTS, PHONE, Site, _QuietHandler
from .conftest import EXAMPLES

pytestmark = pytest.mark.browser

EXPIRED = "categories/expired-product/"
ATTITUDE = "categories/staff-attitude/"


@pytest.fixture(scope="module")
def vi_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    where = tmp_path_factory.mktemp("vi-search")
    shutil.copytree(EXAMPLES / "vi-small", where / "playbook")
    result = build(where / "playbook", where / "site", pdf=False)
    assert result.ok, result.problems
    handler = functools.partial(_QuietHandler, directory=str(where / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(where / "site", f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def top_pages(tab: Any, site: Site, query: str, count: int = 3) -> list[str]:
    """The first ``count`` pages the search box lists for ``query``, as site paths."""
    tab.page.goto(site.url + "?q=" + quote(query))
    tab.page.wait_for_selector(".md-search-result__item")
    tab.page.wait_for_timeout(200)  # results render in one go; let the list settle
    links: list[str] = tab.page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(link => link.href)"
    )
    pages: list[str] = []
    for link in links:
        path = urlparse(link).path.lstrip("/")
        if path not in pages:
            pages.append(path)
    return pages[:count]


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("het han", EXPIRED),
        ("hết hạn", EXPIRED),
        ("HET HAN SU DUNG", EXPIRED),
        ("tho lo", ATTITUDE),
        ("thô lỗ", ATTITUDE),
    ],
)
def test_a_query_with_or_without_accents_finds_the_page(
    vi_site: Site, open_tab: Any, query: str, page: str
) -> None:
    tab = open_tab()
    assert page in top_pages(tab, vi_site, query)
    assert tab.errors == []


def test_results_on_a_wide_screen(vi_site: Site, open_tab: Any) -> None:
    tab = open_tab()
    assert top_pages(tab, vi_site, "het han")[0] == EXPIRED
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "search-vi-1280.png"))


def test_a_decomposed_query_is_normalised(vi_site: Site, open_tab: Any) -> None:
    decomposed = unicodedata.normalize("NFD", "hết hạn")
    assert decomposed != "hết hạn"
    tab = open_tab()
    assert top_pages(tab, vi_site, decomposed)[0] == EXPIRED


def test_accents_still_tell_words_apart(vi_site: Site, open_tab: Any) -> None:
    """Folding adds words, it does not replace them: the page with the exact accented words
    comes first for a query typed with accents."""
    tab = open_tab()
    assert top_pages(tab, vi_site, "hết hạn")[0] == EXPIRED
    assert top_pages(tab, vi_site, "thô lỗ")[0] == ATTITUDE


def test_results_show_the_words_as_written(vi_site: Site, open_tab: Any) -> None:
    """The folded words are only in the index: a result shows "hết hạn", highlighted."""
    tab = open_tab(PHONE)
    tab.page.goto(vi_site.url + "?q=" + quote("het han"))
    first = tab.page.wait_for_selector(".md-search-result__item")
    assert first is not None
    text = first.inner_text()
    assert "hết hạn" in text and "het han" not in text
    marked = tab.page.eval_on_selector_all(
        ".md-search-result__item:first-child mark", "marks => marks.map(m => m.textContent)"
    )
    assert "hết" in marked and "hạn" in marked
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "search-vi-360.png"))
    assert tab.errors == []


def test_the_page_starts_the_folding_worker(vi_site: Site) -> None:
    home = (vi_site.root / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/workers/playbook-search.js?worker=search." in home
    assert (vi_site.root / "assets" / "javascripts" / "workers" / "playbook-search.js").is_file()


def test_an_offline_bundle_keeps_the_theme_worker(tmp_path: Path) -> None:
    """Opened from disk the worker runs in an iframe, which cannot load a second script."""
    shutil.copytree(EXAMPLES / "vi-small", tmp_path / "playbook")
    result = build(tmp_path / "playbook", tmp_path / "site", pdf=False, offline=True)
    assert result.ok, result.problems
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "playbook-search.js" not in home
    assert "assets/javascripts/workers/search." in home
