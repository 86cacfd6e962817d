"""Versions × languages: a bilingual playbook published with mike has its Dutch site in
``<version>/nl/``. There, as on the English pages in ``<version>/``, the version selector lists
the published versions and opens the same page in the same language, older versions show the
outdated banner, and the language selector opens the same page of the same version.

mike's branch layout is made here by hand from one build (a folder per version, ``latest`` and
``versions.json`` at the root, as tests/test_deploy.py shows mike writes them), so that only
one site is built."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from playbookgen.build import build

from .browser_support import ARTIFACTS, PHONE, Site, _QuietHandler
from .conftest import REFERENCE

pytestmark = pytest.mark.browser

PAGE = "categories/missing-item/"
VERSIONS = [
    {"version": "1.1", "title": "1.1 (from 2026-12-01)", "aliases": ["latest"]},
    {"version": "1.0", "title": "1.0 (from 2026-11-01)", "aliases": []},
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    where = tmp_path_factory.mktemp("versions")
    result = build(REFERENCE, where / "site", pdf=False, version_selector="latest")
    assert result.ok, result.problems
    root = where / "gh-pages"
    for version in ("1.0", "1.1", "latest"):
        shutil.copytree(where / "site", root / version)
    shutil.rmtree(root / "1.1" / "nl" / "raci")  # a page the newer version no longer has
    (root / "versions.json").write_text(json.dumps(VERSIONS), encoding="utf-8")
    (root / "index.html").write_text('<meta http-equiv="refresh" content="0; url=latest/">', encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def paths(tab: Any, selector: str) -> list[str]:
    links: list[str] = tab.page.eval_on_selector_all(selector, "links => links.map(link => link.href)")
    return [urlparse(link).path for link in links]


def test_the_language_sites_name_the_version_provider(published: Site) -> None:
    english = (published.root / "1.0" / "index.html").read_text(encoding="utf-8")
    dutch = (published.root / "1.0" / "nl" / "index.html").read_text(encoding="utf-8")
    assert '"version": {"default": "latest", "provider": "mike"}' in english
    assert '"version": {"default": "latest", "provider": "playbookgen-language"}' in dutch
    assert 'data-md-component="outdated"' in dutch
    page = (published.root / "1.0" / "nl" / PAGE / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../../latest/nl/"' in page  # the outdated banner opens the version in force


def test_dutch_pages_of_an_older_version_have_both_selectors(published: Site, open_tab: Any) -> None:
    tab = open_tab()
    tab.page.goto(published.url + "1.0/nl/" + PAGE)
    tab.page.wait_for_selector(".md-version")
    assert tab.page.inner_text(".md-version__current").strip() == "1.0 (from 2026-11-01)"
    assert paths(tab, ".md-version__link") == ["/1.1/nl/" + PAGE, "/1.0/nl/" + PAGE]
    assert tab.page.is_visible("[data-md-component=outdated]")
    assert tab.page.inner_text("[data-md-component=outdated]").strip().startswith("Dit is een oudere versie")
    languages = paths(tab, ".md-select__link[hreflang]")
    assert "/1.0/" + PAGE in languages and "/1.0/nl/" + PAGE in languages
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "version-nl-1280.png"))
    assert tab.errors == []


def test_the_version_selector_opens_the_same_dutch_page(published: Site, open_tab: Any) -> None:
    tab = open_tab(PHONE)
    tab.page.goto(published.url + "1.0/nl/" + PAGE)
    tab.page.wait_for_selector(".md-version")
    tab.page.hover(".md-version")
    with tab.page.expect_navigation():
        tab.page.click(".md-version__link >> nth=0")
    assert urlparse(tab.page.url).path == "/1.1/nl/" + PAGE
    tab.page.wait_for_selector(".md-version")
    assert not tab.page.is_visible("[data-md-component=outdated]")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "version-nl-360.png"))
    assert tab.errors == []


def test_a_page_missing_in_the_other_version_opens_its_home(published: Site, open_tab: Any) -> None:
    tab = open_tab()
    tab.page.goto(published.url + "1.0/nl/raci/")
    tab.page.wait_for_selector(".md-version")
    tab.page.hover(".md-version")
    with tab.page.expect_navigation():
        tab.page.click(".md-version__link >> nth=0")
    assert urlparse(tab.page.url).path == "/1.1/nl/"


def test_english_pages_keep_materials_selector(published: Site, open_tab: Any) -> None:
    tab = open_tab()
    tab.page.goto(published.url + "latest/" + PAGE)
    tab.page.wait_for_selector(".md-version")
    assert "/1.0/" in paths(tab, ".md-version__link")
    assert not tab.page.is_visible("[data-md-component=outdated]")
    assert tab.errors == []
