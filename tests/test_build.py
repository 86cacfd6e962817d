"""The build: atomic swap, reproducible output, refusals, the CLI and SIGTERM."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen import build as build_module
from playbookgen.build import build, output_problem
from playbookgen.cli import main

from .conftest import EXAMPLES

SMALL = EXAMPLES / "site-small"


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    return root


@pytest.fixture
def built(small: Path, tmp_path: Path) -> Path:
    """A first, good build of the small playbook in ``tmp_path/out/site``."""
    out = tmp_path / "out" / "site"
    result = build(small, out, pdf=False)
    assert result.ok, result.problems
    return out


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def test_build_writes_the_site(built: Path) -> None:
    assert (built / "index.html").is_file()
    assert (built / "categories" / "missing-item" / "index.html").is_file()
    assert (built / "diagrams" / "missing-item.svg").is_file()
    assert (built / "search" / "search_index.json").is_file()
    assert leftovers(built) == []


def test_two_builds_are_byte_identical(small: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "site", tmp_path / "b" / "site"
    assert build(small, first, pdf=False).ok
    time.sleep(1.1)  # a clock-dependent date would change by now
    assert build(small, second, pdf=False).ok
    hashes = tree_hashes(first)
    assert "sitemap.xml.gz" in hashes and "search/search_index.json" in hashes
    assert hashes == tree_hashes(second)


def test_build_date_follows_source_date_epoch(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = tmp_path / "a" / "site"
    assert build(small, first, pdf=False).ok
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    second = tmp_path / "b" / "site"
    assert build(small, second, pdf=False).ok
    assert (first / "sitemap.xml.gz").read_bytes() != (second / "sitemap.xml.gz").read_bytes()
    assert os.environ["SOURCE_DATE_EPOCH"] == "1800000000"


def test_rebuild_replaces_the_site(small: Path, built: Path) -> None:
    (built / "stale.html").write_text("old", encoding="utf-8")
    path = small / "categories" / "missing-item.yaml"
    path.write_text(path.read_text().replace("name: Missing item", "name: Item not in parcel"))
    assert build(small, built, pdf=False).ok
    assert not (built / "stale.html").exists()
    assert "Item not in parcel" in (built / "categories" / "missing-item" / "index.html").read_text()
    assert leftovers(built) == []


def test_invalid_yaml_leaves_the_previous_site_untouched(small: Path, built: Path) -> None:
    before = tree_hashes(built)
    (small / "roles.yaml").write_text("roles: [unclosed\n", encoding="utf-8")
    result = build(small, built, pdf=False)
    assert not result.ok
    assert next(p.path for p in result.problems if p.severity == "error") == "roles.yaml"
    assert tree_hashes(built) == before
    assert leftovers(built) == []


def test_template_error_leaves_the_previous_site_untouched(small: Path, built: Path) -> None:
    before = tree_hashes(built)
    override = small / "templates" / "site" / "pages" / "category.md"
    override.parent.mkdir(parents=True)
    override.write_text("# {{ category.name }}\n{{ no_such_variable }}\n", encoding="utf-8")
    result = build(small, built, pdf=False)
    assert not result.ok
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert (problem.path, problem.line, problem.rule) == (
        "templates/site/pages/category.md",
        2,
        "template-error",
    )
    assert tree_hashes(built) == before
    assert leftovers(built) == []


def test_broken_internal_link_fails_like_mkdocs_strict(small: Path, built: Path) -> None:
    before = tree_hashes(built)
    path = small / "categories" / "missing-item.yaml"
    path.write_text(
        path.read_text().replace(
            "Use **wrong item** when", "See [the returns page](no-such-page.md). Use **wrong item** when"
        )
    )
    result = build(small, built, pdf=False)
    assert not result.ok
    [problem] = [p for p in result.problems if p.rule == "site-build"]
    assert problem.path == "categories/missing-item.yaml"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "no-such-page.md" in text)
    assert problem.line == line and "no-such-page.md" in problem.message
    assert tree_hashes(built) == before
    assert leftovers(built) == []


def test_failure_inside_mkdocs_cleans_up(small: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_hashes(built)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "make_site", explode)
    with pytest.raises(RuntimeError):
        build(small, built, pdf=False)
    assert tree_hashes(built) == before
    assert leftovers(built) == []


def test_refuses_to_replace_a_folder_that_is_not_a_site(small: Path, tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    result = build(small, precious, pdf=False)
    assert not result.ok and result.problems[-1].rule == "build-output"
    assert (precious / "notes.txt").read_text() == "keep me"
    assert output_problem(small, small.parent) is not None
    assert output_problem(small, small) is not None
    assert output_problem(small, tmp_path / "new") is None


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_build_prints_a_summary(small: Path, tmp_path: Path) -> None:
    code, output = run_cli("build", str(small), "--out", str(tmp_path / "site"), "--no-pdf")
    assert code == 0, output
    assert re.match(r"Built \d+ pages into .* in \d+\.\d s\.$", output.strip()), output
    assert (tmp_path / "site" / "index.html").is_file()


def test_cli_build_reports_problems_at_file_line_col(small: Path, tmp_path: Path) -> None:
    (small / "roles.yaml").write_text("roles: [unclosed\n", encoding="utf-8")
    code, output = run_cli("build", str(small), "--out", str(tmp_path / "site"), "--no-pdf")
    assert code == 1
    assert f"{small}/roles.yaml:2:1: error " in output
    assert "Traceback" not in output
    assert not (tmp_path / "site").exists()


def test_cli_build_reports_a_template_error_on_one_line(small: Path, tmp_path: Path) -> None:
    override = small / "templates" / "site" / "pages" / "home.md"
    override.parent.mkdir(parents=True)
    override.write_text("# Home\n{% for %}\n", encoding="utf-8")
    code, output = run_cli("build", str(small), "--out", str(tmp_path / "site"), "--no-pdf")
    assert code == 1
    lines = [line for line in output.splitlines() if "template-error" in line]
    assert len(lines) == 1 and lines[0].startswith(
        f"{small}/templates/site/pages/home.md:2:1: error template-error"
    )
    assert "Traceback" not in output


def test_cli_commands_have_help() -> None:
    for command in ("build", "serve"):
        code, output = run_cli(command, "--help")
        assert code == 0 and "Usage:" in output and len(output.splitlines()) > 5


SIGTERM_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from playbookgen import build as build_module

    def slow(*args, **kwargs):
        Path(sys.argv[3]).write_text("ready")
        time.sleep(60)

    build_module.make_site = slow
    build_module.build(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False)
    """
)


def test_sigterm_during_a_build_cleans_up(small: Path, built: Path, tmp_path: Path) -> None:
    before = tree_hashes(built)
    ready = tmp_path / "ready"
    with subprocess.Popen(
        [sys.executable, "-c", SIGTERM_SCRIPT, str(small), str(built), str(ready)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert [p for p in leftovers(built) if p.startswith(".site.build-")]  # the build is under way
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
        assert process.returncode == 128 + signal.SIGTERM, errors
    assert tree_hashes(built) == before
    assert leftovers(built) == []
