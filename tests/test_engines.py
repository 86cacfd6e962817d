"""The reference playbook builds with both site engines — MkDocs with Material and Zensical,
its successor — into the same pages saying the same things; what Zensical skips is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen.build import BuildResult, build
from playbookgen.cli import main
from playbookgen.engines import zensical_gaps

from .conftest import REFERENCE
from .textdump import page_text

ENGINE_PAGES = {"404.html"}
"""Pages an engine makes of its own accord, not from the generated source."""
LISTINGS = {"tags/index.html", "nl/tags/index.html"}
"""Pages whose headings carry the engine's own permalink marks."""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult]:
    pytest.importorskip("zensical")
    where = tmp_path_factory.mktemp("engines")
    root = where / "playbook"
    shutil.copytree(REFERENCE, root)
    mkdocs = build(root, where / "mkdocs" / "site", pdf=False)
    zensical = build(root, where / "zensical" / "site", pdf=False, engine="zensical")
    assert mkdocs.ok, mkdocs.problems
    assert zensical.ok, zensical.problems
    return mkdocs, zensical


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - ENGINE_PAGES


@pytest.mark.slow
def test_both_engines_make_the_same_pages(sites: tuple[BuildResult, BuildResult]) -> None:
    mkdocs, zensical = sites
    assert pages(mkdocs.out) == pages(zensical.out)
    assert len(pages(mkdocs.out)) > 60
    assert "nl/categories/missing-item/index.html" in pages(zensical.out)  # a site per language


@pytest.mark.slow
def test_a_category_page_says_the_same_with_both_engines(sites: tuple[BuildResult, BuildResult]) -> None:
    mkdocs, zensical = sites
    page = "categories/missing-item/index.html"
    text = page_text((mkdocs.out / page).read_text(encoding="utf-8"))
    assert text == page_text((zensical.out / page).read_text(encoding="utf-8"))
    for fact in ("Missing item", "First reply within", "Resolve now", "Who to call"):
        assert fact in text, fact


@pytest.mark.slow
def test_every_page_says_the_same_with_both_engines(sites: tuple[BuildResult, BuildResult]) -> None:
    mkdocs, zensical = sites
    differ = [
        page
        for page in sorted(pages(mkdocs.out) - LISTINGS)
        if page_text((mkdocs.out / page).read_text(encoding="utf-8"))
        != page_text((zensical.out / page).read_text(encoding="utf-8"))
    ]
    assert differ == []


@pytest.mark.slow
def test_what_zensical_skips_is_reported(sites: tuple[BuildResult, BuildResult]) -> None:
    _, zensical = sites
    skipped = [p.message for p in zensical.problems if p.rule == "engine-unsupported"]
    assert any("option 'lang' of plugin 'search'" in m for m in skipped), skipped
    assert all(p.severity == "warning" for p in zensical.problems if p.rule == "engine-unsupported")


def test_an_unknown_plugin_is_named(tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nplugins:\n  - search\n  - some-mkdocs-only-plugin:\n      a: 1\n", "utf-8"
    )
    assert zensical_gaps(config) == ["plugin 'some-mkdocs-only-plugin' (Zensical skips it)"]


def test_the_engine_option_is_checked() -> None:
    result = CliRunner().invoke(main, ["build", "--engine", "hugo"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "hugo" in result.output
