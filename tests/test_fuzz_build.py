"""Property-based test of the whole build: whatever a careless or hostile edit does to a
playbook, ``build`` never raises; a failed build leaves the previous site byte for byte as it
was and nothing next to it, and every problem points at a real place in a playbook file."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from playbookgen.build import build
from playbookgen.loader import load_file
from playbookgen.problems import Problem

from .conftest import EXAMPLES
from .test_fuzz import _get, _paths, _set, scalars

SMALL = EXAMPLES / "site-small"
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
OPERATIONS = ["delete-key", "retype", "swap-ids", "duplicate-file", "truncate", "unsafe-link"]
UNSAFE_LINKS = [
    "[portal](javascript:alert(1))",
    "[portal](JaVaScRiPt:alert(1))",
    "[portal](data:text/html;base64,PHNjcmlwdD4=)",
    "[portal](vbscript:msgbox(1))",
]
YAML_FILES = sorted(p.relative_to(SMALL).as_posix() for p in SMALL.rglob("*.yaml"))


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from the unchanged small playbook: the previous site of every example."""
    out = tmp_path_factory.mktemp("good") / "site"
    result = build(SMALL, out, pdf=False)
    assert result.ok, result.problems
    return out


def dump(path: Path, tree: Any) -> None:
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")


def mutate(root: Path, data: st.DataObject) -> str:
    """Apply one drawn change to the playbook at ``root``; what was done, for the report."""
    name = data.draw(st.sampled_from(YAML_FILES), label="file")
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    path = root / name
    if operation == "duplicate-file":
        copy = path.with_name(data.draw(st.sampled_from(["copy", "zz-extra", "missing-item"])) + ".yaml")
        if copy == path:
            copy = path.with_name(path.stem + "-2.yaml")
        shutil.copyfile(path, copy)
        return f"{operation} {name} -> {copy.name}"
    if operation == "truncate":
        raw = path.read_bytes()
        cut = data.draw(st.integers(0, max(len(raw) - 1, 0)), label="cut")
        path.write_bytes(raw[:cut])
        return f"{operation} {name} at byte {cut}"
    doc, problems = load_file(path, name)
    assert doc is not None and not problems, problems
    tree = doc.data
    paths = [p for p in _paths(tree) if p]
    if operation == "delete-key":
        target = data.draw(st.sampled_from(paths), label="path")
        del _get(tree, target[:-1])[target[-1]]
    elif operation == "retype":
        target = data.draw(st.sampled_from(paths), label="path")
        old = _get(tree, target)
        new = data.draw(
            st.one_of(
                scalars,
                st.lists(scalars, max_size=2),
                st.just([old]),  # str -> list of str, int -> list of int
                st.just(str(old)),  # int -> str, list -> its repr
                st.just({"value": old}),
            ),
            label="new value",
        )
        _set(tree, target, new)
    elif operation == "swap-ids":
        ids = [p for p in paths if p[-1] == "id"]
        if len(ids) < 2:
            return f"{operation} {name}: fewer than two ids, unchanged"
        first, second = data.draw(st.permutations(ids), label="ids")[:2]
        a, b = _get(tree, first), _get(tree, second)
        _set(tree, first, b)
        _set(tree, second, a)
    else:  # unsafe-link
        texts = [p for p in paths if isinstance(_get(tree, p), str) and p[-1] != "$schema"]
        target = data.draw(st.sampled_from(texts), label="text")
        link = data.draw(st.sampled_from(UNSAFE_LINKS), label="link")
        _set(tree, target, f"{_get(tree, target)} See {link}.")
    dump(path, tree)
    return f"{operation} {name}"


def assert_located(root: Path, problem: Problem) -> None:
    target = (root / problem.path).resolve()
    assert target.is_relative_to(root.resolve()), problem
    assert target.is_file(), problem
    assert problem.line >= 1 and problem.column >= 1, problem
    lines = target.read_bytes().count(b"\n") + 1
    assert problem.line <= lines + 1, (problem, lines)
    assert problem.rule and problem.message and "\n" not in problem.message, problem


@SETTINGS
@given(data=st.data())
def test_a_mutated_playbook_builds_or_leaves_the_previous_site_alone(
    good_site: Path, data: st.DataObject
) -> None:
    work = Path(tempfile.mkdtemp(prefix="fuzz-build-"))
    try:
        root, out = work / "playbook", work / "out" / "site"
        shutil.copytree(SMALL, root)
        shutil.copytree(good_site, out)
        before = tree_hashes(out)
        change = mutate(root, data)
        result = build(root, out, pdf=False)  # must not raise, whatever the change
        event(f"{change.split()[0]}: {'built' if result.ok else 'refused'}")
        for problem in result.problems:
            assert_located(root, problem)
        if change.startswith("unsafe-link"):
            assert not result.ok, change
        if result.ok:
            assert (out / "index.html").is_file(), change
        else:
            assert any(p.severity == "error" and p.suppressed is None for p in result.problems), change
            assert tree_hashes(out) == before, change
        assert sorted(p.name for p in out.parent.iterdir()) == ["site"], change  # no .site.build-*
    finally:
        shutil.rmtree(work)
