from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .browser_support import browser, open_tab, site  # noqa: F401 - shared by the browser tests

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "playbook"
EXAMPLES = Path(__file__).resolve().parent / "examples"
_CACHE: list[str] = []

Edits = dict[str, list[tuple[str, str]]]
"""Per file of a playbook, texts to replace: each ``(old, new)`` pair once."""


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates and validators go to a cache of this run's own (subprocesses too).
    A rule that reads a key of a file no rule declares in ``READS`` fails (see
    playbookgen.projection) instead of loading the whole file."""
    from playbookgen import projection

    projection.STRICT = True
    if "PLAYBOOKGEN_CACHE_DIR" not in os.environ:
        _CACHE.append(tempfile.mkdtemp(prefix="playbookgen-test-cache-"))
        os.environ["PLAYBOOKGEN_CACHE_DIR"] = _CACHE[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    """A writable copy of the reference playbook."""
    target = tmp_path / "playbook"
    shutil.copytree(REFERENCE, target)
    return target


def apply_edits(root: Path, edits: Edits) -> Path:
    """Replace each ``old`` text by its ``new`` in the named files under ``root``; each
    ``old`` must occur exactly once, so an edit that no longer matches fails loudly."""
    for name, changes in edits.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return root


def edited_copy(source: Path, target: Path, edits: Edits) -> Path:
    """A copy of the playbook at ``source`` in ``target`` with ``edits`` applied."""
    shutil.copytree(source, target)
    return apply_edits(target, edits)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo``; its standard output."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git that commits on a fresh machine: a test identity, no system or user config."""
    for variable in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(variable, "Playbook Tests")
    for variable in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(variable, "tests@example.com")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
