"""Live preview: serves the built site on localhost and rebuilds when a YAML file changes."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from playbookgen import serve as serve_module
from playbookgen.build import BuildResult, build
from playbookgen.serve import GENERATION_PATH, Preview, changed_pages

from .conftest import EXAMPLES, REFERENCE


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, list[BuildResult]]]:
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "site-small", root)
    results: list[BuildResult] = []
    running = Preview(root, port=0, on_build=results.append, delay=0.1)
    try:
        running.start()
        yield running, results
    finally:
        running.stop()


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_preview_serves_on_localhost_with_reload(preview: tuple[Preview, list[BuildResult]]) -> None:
    running, results = preview
    assert running.url.startswith("http://127.0.0.1:")
    assert results[0].ok and running.generation == 1
    page = fetch(running.url + "categories/missing-item/")
    assert "<h1" in page and GENERATION_PATH in page
    assert fetch(running.url + GENERATION_PATH.lstrip("/")) == "1"
    css = fetch(running.url + "assets/stylesheets/playbook.css")
    assert GENERATION_PATH not in css


def test_preview_rebuilds_when_yaml_changes(preview: tuple[Preview, list[BuildResult]]) -> None:
    running, results = preview
    path = running.root / "categories" / "missing-item.yaml"
    path.write_text(path.read_text().replace("name: Missing item", "name: Item not in parcel"))
    wait_for(lambda: running.generation == 2)
    assert "Item not in parcel" in fetch(running.url + "categories/missing-item/")
    # A broken file keeps the last good site and reports the problem.
    (running.root / "roles.yaml").write_text("roles: [\n", encoding="utf-8")
    wait_for(lambda: len(results) == 3)
    assert not results[-1].ok and results[-1].problems[0].path == "roles.yaml"
    assert running.generation == 2
    assert "Item not in parcel" in fetch(running.url + "categories/missing-item/")


def test_preview_cleans_up(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "site-small", root)
    running = Preview(root, port=0)
    running.start()
    out = running.out
    assert (out / "index.html").is_file()
    running.stop()
    assert not out.parent.exists()


def site_files_of(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def search_entries(site: Path) -> list[tuple[str, str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return sorted((d["location"], d["title"], d["text"]) for d in index["docs"])


def test_a_text_change_is_rebuilt_quickly_and_matches_a_full_build(
    preview: tuple[Preview, list[BuildResult]], tmp_path: Path
) -> None:
    running, _ = preview
    path = running.root / "categories" / "missing-item.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nsummary: " in text
    path.write_text(text.replace("\nsummary: ", "\nsummary: Quick preview check. ", 1), encoding="utf-8")
    wait_for(lambda: running.generation == 2)
    assert running.quick, "only page text changed: the quick path"
    assert "Quick preview check." in fetch(running.url + "categories/missing-item/")
    full = build(running.root, tmp_path / "full", pdf=False)
    assert full.ok
    quick_files, full_files = site_files_of(running.out), site_files_of(tmp_path / "full")
    assert quick_files.keys() == full_files.keys()
    differing = [name for name in full_files if quick_files[name] != full_files[name]]
    assert differing == ["search/search_index.json"], "every page as a full build makes it"
    assert search_entries(running.out) == search_entries(tmp_path / "full"), "no page lost from search"


def test_a_title_change_takes_a_full_build(preview: tuple[Preview, list[BuildResult]]) -> None:
    running, _ = preview
    path = running.root / "categories" / "missing-item.yaml"
    path.write_text(path.read_text().replace("name: Missing item", "name: Item not in parcel"))
    wait_for(lambda: running.generation == 2)
    assert not running.quick
    assert "Item not in parcel" in fetch(running.url + "categories/staff-attitude/"), "the nav of other pages"


def test_changed_pages(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root in (old, new):
        (root / "docs").mkdir(parents=True)
        (root / "mkdocs.yml").write_text("site_name: x\n")
        (root / "docs" / "a.md").write_text("---\ntitle: A\n---\n\nBody\n")
        (root / "docs" / "b.md").write_text("---\ntitle: B\n---\n\nBody\n")
    assert changed_pages(old, new) == []
    (new / "docs" / "a.md").write_text("---\ntitle: A\n---\n\nNew body\n")
    assert changed_pages(old, new) == ["docs/a.md"]
    (new / "docs" / "b.md").write_text("---\ntitle: B2\n---\n\nBody\n")
    assert changed_pages(old, new) is None, "a title shows in every page's nav"
    (new / "docs" / "b.md").write_text("---\ntitle: B\n---\n\nBody\n")
    (new / "docs" / "c.md").write_text("---\ntitle: C\n---\n")
    assert changed_pages(old, new) is None, "a new page changes the nav"
    (new / "docs" / "c.md").unlink()
    (new / "mkdocs.yml").write_text("site_name: y\n")
    assert changed_pages(old, new) is None


def test_preview_composes_the_build_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rebuild checks and plans like a build (so it carries the plan's warnings); the
    quick path writes the source and runs MkDocs on it dirty; a full rebuild takes over the
    source the quick path already wrote instead of writing it again."""
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "site-small", root)
    with (root / "playbook.yaml").open("a", encoding="utf-8") as file:
        file.write("previous: ../missing\n")
    calls: list[str] = []

    def spy(name: str) -> Callable[..., object]:
        stage = getattr(serve_module, name)

        def record(*args: object, **kwargs: object) -> object:
            shown = ""
            if kwargs.get("dirty"):
                shown = "dirty"
            elif kwargs.get("sources") is not None:
                shown = type(kwargs["sources"]).__name__
            calls.append(f"{name}({shown})")
            return stage(*args, **kwargs)

        return record

    for name in ("plan_build", "write_sources", "run_mkdocs", "build_planned"):
        monkeypatch.setattr(serve_module, name, spy(name))
    results: list[BuildResult] = []
    running = Preview(root, port=0, on_build=results.append, delay=0.1)
    try:
        running.start()
        assert calls == ["plan_build()", "build_planned()"]
        path = root / "categories" / "missing-item.yaml"
        text = path.read_text(encoding="utf-8")
        calls.clear()
        path.write_text(text.replace("\nsummary: ", "\nsummary: Quick. ", 1), encoding="utf-8")
        wait_for(lambda: running.generation == 2)
        assert running.quick
        assert calls == ["plan_build()", "write_sources()", "run_mkdocs(dirty)"]
        calls.clear()
        path.write_text(text.replace("name: Missing item", "name: Item not in parcel"), encoding="utf-8")
        wait_for(lambda: running.generation == 3)
        assert not running.quick
        assert calls == ["plan_build()", "write_sources()", "build_planned(Sources)"]
    finally:
        running.stop()
    for result in results:
        assert result.ok
        assert [p.rule for p in result.problems] == ["previous-version-unreadable"]


@pytest.mark.slow
def test_a_dutch_text_change_is_rebuilt_quickly_and_matches_a_full_build(tmp_path: Path) -> None:
    """A bilingual playbook: a changed Dutch translation re-renders only the Dutch pages whose
    text changed (in <site>/nl/), as cheaply as an English text change, and the result is the
    site a full build makes, search entries of both languages included."""
    root = tmp_path / "playbook"
    shutil.copytree(REFERENCE, root)
    running = Preview(root, port=0, delay=0.1)
    try:
        assert running.start().ok
        english = (running.out / "categories" / "missing-item" / "index.html").stat().st_mtime_ns
        overlay = root / "translations" / "nl" / "categories" / "missing-item.yaml"
        text = overlay.read_text(encoding="utf-8")
        old = "  text: Het pakket is aangekomen,"
        assert text.count(old) == 1
        new = "  text: Snelle controle. Het pakket is aangekomen,"
        overlay.write_text(text.replace(old, new), encoding="utf-8")
        wait_for(lambda: running.generation == 2, timeout=180)
        assert running.quick, "only Dutch page text changed: the quick path"
        assert "Snelle controle." in fetch(running.url + "nl/categories/missing-item/")
        assert (running.out / "categories" / "missing-item" / "index.html").stat().st_mtime_ns == english
        full = build(root, tmp_path / "full", pdf=False)
        assert full.ok
        quick_files, full_files = site_files_of(running.out), site_files_of(tmp_path / "full")
        assert quick_files.keys() == full_files.keys()
        differing = [name for name in full_files if quick_files[name] != full_files[name]]
        assert differing == ["nl/search/search_index.json"], "every page as a full build makes it"
        assert search_entries(running.out / "nl") == search_entries(tmp_path / "full" / "nl")
        assert search_entries(running.out) == search_entries(tmp_path / "full")
    finally:
        running.stop()


def test_changed_pages_of_a_language_site(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root in (old, new):
        (root / "languages" / "nl" / "docs").mkdir(parents=True)
        (root / "languages" / "nl" / "docs" / "a.md").write_text("---\ntitle: A\n---\n\nTekst\n")
    (new / "languages" / "nl" / "docs" / "a.md").write_text("---\ntitle: A\n---\n\nNieuwe tekst\n")
    assert changed_pages(old, new) == ["languages/nl/docs/a.md"]
    (new / "languages" / "nl" / "docs" / "a.md").write_text("---\ntitle: A2\n---\n\nTekst\n")
    assert changed_pages(old, new) is None, "a title shows in every page's nav"
