"""The catalogue of source kinds is the one place a kind of file is described: every schema
has an entry and every entry a schema, and a new kind registered with one entry (plus its
schema) is loaded, validated, offered to editors and compared by the diff."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playbookgen import kinds, schema
from playbookgen.diff import diff_specs, render
from playbookgen.diff.shape import file_shape, shape
from playbookgen.kinds import ItemKind, ItemList, SourceKind
from playbookgen.model import load_playbook
from playbookgen.resources import resource_dir

from .conftest import EXAMPLES, REPO

BASE = EXAMPLES / "diff" / "base"
ID = "^[a-z0-9][a-z0-9-]{0,63}$"

MACROS = SourceKind(
    "macros", "macros.yaml", lists=(ItemList("macros", ItemKind("macro", "macro", "macros")),)
)
MACROS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:playbookgen:schema:macros",
    "title": "Macros",
    "description": "macros.yaml: canned replies agents send from the helpdesk.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string", "description": "Optional path or URL of this schema."},
        "macros": {
            "type": "array",
            "description": "The canned replies.",
            "items": {
                "type": "object",
                "description": "One canned reply.",
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": ID, "description": "Stable id of the macro."},
                    "name": {"type": "string", "description": "Name agents pick it by."},
                    "owner": {
                        "type": "string",
                        "pattern": ID,
                        "x-ref": "role",
                        "description": "Role that keeps it.",
                    },
                    "max_uses": {
                        "type": "integer",
                        "description": "Times one case may use it.",
                        "x-tighter": "lower",
                    },
                },
                "required": ["id", "name", "owner"],
            },
        },
    },
    "required": ["macros"],
}
MACROS_YAML = """\
macros:
  - id: sorry-late
    name: Sorry it is late
    owner: {owner}
    max_uses: {uses}
"""


def _clear_caches() -> None:
    for cached in (
        schema._load_schema,
        schema._validator,
        schema._fast_validator,
        schema.references,
        schema.semantics,
        shape,
        file_shape,
    ):
        cached.cache_clear()


@pytest.fixture
def with_macros(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The catalogue with one more entry, and the schemas folder with its schema."""
    schemas = tmp_path / "schemas"
    shutil.copytree(resource_dir("schemas"), schemas)
    (schemas / "macros.schema.json").write_text(json.dumps(MACROS_SCHEMA), encoding="utf-8")
    monkeypatch.setattr(
        schema, "resource_dir", lambda name: schemas if name == "schemas" else resource_dir(name)
    )
    monkeypatch.setattr(kinds, "SOURCES", (*kinds.SOURCES, MACROS))
    _clear_caches()
    yield
    _clear_caches()


def _playbook(root: Path, *, owner: str = "agent", uses: int = 3) -> Path:
    shutil.copytree(BASE, root)
    (root / "macros.yaml").write_text(MACROS_YAML.format(owner=owner, uses=uses), encoding="utf-8")
    return root


def test_every_schema_has_a_catalogue_entry_and_every_entry_a_schema() -> None:
    shipped = sorted(p.name for p in (REPO / "schemas").glob("*.schema.json"))
    expected = [source.schema_file for source in kinds.sources()]
    assert shipped == sorted([*expected, f"{kinds.TRANSLATION_SCHEMA}.schema.json"])


def test_catalogue_ids_are_unique() -> None:
    assert len(set(kinds.names())) == len(kinds.names())
    assert len({item.id for item in kinds.item_kinds()}) == len(kinds.item_kinds())
    assert len({source.path for source in kinds.sources()}) == len(kinds.sources())


def test_catalogue_matches_the_schemas() -> None:
    """Each list the catalogue names is a list in its schema, and items matched by a key
    have that key."""
    for source in kinds.sources():
        properties = schema.load_schema(source.name)["properties"]
        for lst in source.lists:
            assert properties[lst.key]["type"] == "array", (source.name, lst.key)
            assert lst.item.match in properties[lst.key]["items"]["properties"], (source.name, lst.key)
        if source.item is not None:
            assert "id" in properties


def test_init_template_has_every_required_source() -> None:
    template = REPO / "templates" / "init" / "playbook"
    for source in kinds.sources():
        if source.required:
            assert (template / source.path).exists(), source.home


def test_a_new_kind_is_one_catalogue_entry(with_macros: None, tmp_path: Path) -> None:
    settings = schema.editor_settings("schemas")
    assert settings["yaml.schemas"]["./schemas/macros.schema.json"] == ["playbook/macros.yaml"]
    assert "macros.schema.json" in [p.name for p in schema.write_schemas(tmp_path / "written")]

    old = _playbook(tmp_path / "old")
    playbook, problems = load_playbook(old)
    assert [p for p in problems if p.severity == "error"] == []
    macro = playbook.get("macro", "sorry-late")
    assert macro is not None and macro.name == "Sorry it is late"

    new = _playbook(tmp_path / "new", uses=1)
    changelog = diff_specs(str(old), str(new))
    assert [(c.kind, c.cls, c.summary) for c in changelog.changes] == [
        ("macro", "tightened", "Macro 'Sorry it is late': max uses 3 → 1")
    ]
    assert "\nMacros\n" in render(changelog, "text")


def test_a_new_kind_is_validated_and_its_references_checked(with_macros: None, tmp_path: Path) -> None:
    root = _playbook(tmp_path / "bad", owner="nobody")
    (root / "macros.yaml").write_text(
        (root / "macros.yaml").read_text(encoding="utf-8") + "    colour: red\n", encoding="utf-8"
    )
    _, problems = load_playbook(root)
    found = {(p.path, p.rule) for p in problems}
    assert ("macros.yaml", "schema-unknown-key") in found
    missing = [p for p in problems if p.rule == "unknown-reference" and p.path == "macros.yaml"]
    assert missing and "no role has the id 'nobody'" in missing[0].message
