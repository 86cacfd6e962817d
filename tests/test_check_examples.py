"""Negative examples: a small valid playbook with one file broken, and the exact report."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen.cli import main

from .conftest import EXAMPLES, REFERENCE

NEGATIVE = EXAMPLES / "negative"
CASES = sorted(p.name for p in NEGATIVE.iterdir() if p.is_dir())


def assemble(case: str, target: Path) -> Path:
    """The minimal playbook with the case's files laid over it (and its remove.txt removed)."""
    shutil.copytree(EXAMPLES / "minimal", target)
    for source in sorted((NEGATIVE / case).rglob("*")):
        relative = source.relative_to(NEGATIVE / case)
        if source.is_dir() or relative.name in ("expected.txt", "remove.txt"):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    remove = NEGATIVE / case / "remove.txt"
    if remove.exists():
        for name in remove.read_text().split():
            (target / name).unlink()
    return target


def run_check(path: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(path)
    try:
        result = runner.invoke(main, ["check", ".", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def test_minimal_playbook_is_clean() -> None:
    code, output = run_check(EXAMPLES / "minimal")
    assert (code, output) == (0, "No problems found (0 errors, 0 warnings).\n")


REFERENCE_WARNING = re.compile(
    r"categories/web-app-bug\.yaml:\d+:\d+: warning review-due the review of category 'Website or app "
    r"problem' was due on 2026-10-20 \(12 days ago; "
)


def test_reference_playbook_checks_clean() -> None:
    """Clean but for its showcase: the one Dutch translation left outdated on purpose (the
    English step gained the label-free drop-off after it was translated) and one review
    postponed within its grace period (explained in the category's review note); complete in
    Dutch otherwise."""
    code, output = run_check(REFERENCE)
    assert code == 0, output
    lines = output.splitlines()
    outdated = "categories/returns.yaml:51:9: warning translation-outdated the Dutch (nl) "
    assert lines[0].startswith(outdated), output
    assert REFERENCE_WARNING.match(lines[1]), output
    assert lines[2:] == [
        "0 errors, 2 warnings",
        "translation nl (Dutch): 99% — 2364 of 2365 texts current, 1 outdated, 0 missing",
    ], output


@pytest.mark.parametrize("case", CASES)
def test_negative_example(case: str, tmp_path: Path) -> None:
    playbook = assemble(case, tmp_path / "playbook")
    code, output = run_check(playbook)
    expected = (NEGATIVE / case / "expected.txt").read_text(encoding="utf-8")
    assert output == expected
    assert code == (1 if ": error " in expected else 0)


@pytest.mark.parametrize("case", CASES)
def test_negative_example_as_json(case: str, tmp_path: Path) -> None:
    playbook = assemble(case, tmp_path / "playbook")
    code, output = run_check(playbook, "--format", "json")
    problems = json.loads(output)
    assert code == (1 if any(p["severity"] == "error" for p in problems) else 0)
    assert problems, "a negative example reports at least one problem"
    for problem in problems:
        assert set(problem) == {"file", "line", "column", "rule", "severity", "message"}
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert isinstance(problem["column"], int) and problem["column"] >= 1
        assert problem["severity"] in ("error", "warning")
    lines = (NEGATIVE / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    # The text report ends with the summary, then one coverage line per translated language.
    text_lines = [line for line in lines if not line.startswith("translation ")][:-1]
    assert [
        f"{p['file']}:{p['line']}:{p['column']}: {p['severity']} {p['rule']} {p['message']}" for p in problems
    ] == text_lines


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
