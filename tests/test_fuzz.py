"""Property-based tests: whatever the input, check reports problems at real places and
never raises."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbookgen.check import check
from playbookgen.loader import load_file

from .conftest import EXAMPLES, REFERENCE

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILES = ["playbook.yaml", "roles.yaml", "sla.yaml", "raci.yaml", "categories/missing-item.yaml"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["missing-item", "agent", "lead", "PT4H", "P0D", "../x", "<script>"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.sampled_from(["id", "name", "roles", "policies", "steps", "owner", "x"]) | st.text(max_size=8),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


def assert_well_located(root: Path) -> None:
    result = check(root)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.rule and problem.message, problem
        assert problem.severity in ("error", "warning"), problem
        target = root / problem.path
        if target.is_file():
            lines = target.read_bytes().count(b"\n") + 1
            assert problem.line <= lines + 1, (problem, lines)


def fresh(base: Path) -> Path:
    target = Path(tempfile.mkdtemp()) / "playbook"
    shutil.copytree(base, target)
    return target


@SETTINGS
@given(name=st.sampled_from(FILES), raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_check(name: str, raw: bytes) -> None:
    root = fresh(EXAMPLES / "minimal")
    (root / name).write_bytes(raw)
    assert_well_located(root)
    shutil.rmtree(root.parent)


@SETTINGS
@given(name=st.sampled_from(FILES), text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_text_never_crashes_check(name: str, text: str) -> None:
    root = fresh(EXAMPLES / "minimal")
    (root / name).write_text(text, encoding="utf-8")
    assert_well_located(root)
    shutil.rmtree(root.parent)


@SETTINGS
@given(name=st.sampled_from(FILES), data=documents)
def test_arbitrary_yaml_documents_never_crash_check(name: str, data: Any) -> None:
    root = fresh(EXAMPLES / "minimal")
    (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert_well_located(root)
    shutil.rmtree(root.parent)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


@SETTINGS
@given(st.data())
def test_mutations_of_the_reference_playbook_never_crash_check(data: st.DataObject) -> None:
    base = REFERENCE if (REFERENCE / "playbook.yaml").exists() else EXAMPLES / "minimal"
    root = fresh(base)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml"))
    name = data.draw(st.sampled_from(files))
    doc, _ = load_file(root / name, name)
    assert doc is not None
    operation = data.draw(st.sampled_from(["delete", "retype", "swap-ids", "duplicate-file"]))
    tree = doc.data
    paths = [p for p in _paths(tree) if p]
    if operation == "duplicate-file":
        shutil.copyfile(root / name, root / name.replace(".yaml", "-copy.yaml"))
    elif paths:
        path = data.draw(st.sampled_from(paths))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        if operation == "delete":
            del parent[path[-1]]
        elif operation == "retype":
            parent[path[-1]] = data.draw(scalars | st.lists(scalars, max_size=2))
        else:
            ids = [p for p in paths if p[-1] == "id"]
            if len(ids) >= 2:
                first, second = data.draw(st.permutations(ids))[:2]
                a, b = _get(tree, first), _get(tree, second)
                _set(tree, first, b)
                _set(tree, second, a)
        (root / name).write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert_well_located(root)
    shutil.rmtree(root.parent)


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(tree, path[:-1])[path[-1]] = value
