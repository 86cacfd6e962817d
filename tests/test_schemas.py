"""The schemas teach the format: valid Draft 2020-12, strict, described, and named by every
file's modeline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from playbookgen.model import FOLDERS, SINGLE_FILES
from playbookgen.schema import KINDS

from .conftest import REFERENCE, REPO

SCHEMAS = REPO / "schemas"
ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"


def load(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def properties(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, child in node.get("properties", {}).items():
        yield f"{path}.{name}", child
        yield from properties(child, f"{path}.{name}")
    items = node.get("items")
    if isinstance(items, dict):
        yield from properties(items, f"{path}[]")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from properties(extra, f"{path}{{}}")


def objects(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if node.get("type") == "object" and "properties" in node:
        yield path, node
    for name, child in node.get("properties", {}).items():
        yield from objects(child, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from objects(node["items"], f"{path}[]")


def test_every_kind_has_exactly_one_schema() -> None:
    assert sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")) == sorted(KINDS)
    assert set(SINGLE_FILES.values()) | set(FOLDERS.values()) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_and_identified(kind: str) -> None:
    schema = load(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:playbookgen:schema:{kind}"
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_is_described_for_a_cs_leader(kind: str) -> None:
    missing = [path for path, prop in properties(load(kind)) if len(prop.get("description", "")) < 10]
    assert missing == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_object_refuses_unknown_keys(kind: str) -> None:
    loose = [
        path or "(root)"
        for path, node in objects(load(kind))
        if node.get("additionalProperties") is not False
    ]
    assert loose == []


@pytest.mark.parametrize("kind", KINDS)
def test_ids_and_references_use_the_id_pattern(kind: str) -> None:
    for path, prop in properties(load(kind)):
        if path.endswith(".id") or "x-ref" in prop:
            assert prop.get("pattern") == ID_PATTERN, path


def test_every_reference_playbook_file_names_its_schema() -> None:
    for path in sorted(REFERENCE.rglob("*.yaml")):
        relative = path.relative_to(REFERENCE)
        kind = SINGLE_FILES.get(str(relative)) or FOLDERS[relative.parts[0]]
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{relative} has no modeline"
        assert (path.parent / match.group(1)).resolve() == (SCHEMAS / f"{kind}.schema.json").resolve(), (
            relative
        )


def test_schema_examples_are_valid_values() -> None:
    for kind in KINDS:
        for path, prop in properties(load(kind)):
            for example in prop.get("examples", []):
                errors = list(
                    Draft202012Validator({k: v for k, v in prop.items() if k != "examples"}).iter_errors(
                        example
                    )
                )
                assert errors == [], (kind, path, example)
