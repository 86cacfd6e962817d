"""Live preview: serves the built site on localhost and rebuilds when a YAML file changes."""

from __future__ import annotations

import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from playbookgen.build import BuildResult
from playbookgen.serve import GENERATION_PATH, Preview

from .conftest import EXAMPLES


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
