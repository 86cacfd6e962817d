"""The schemas teach the format: valid Draft 2020-12, strict, described, and named by every
file's modeline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from playbookgen import kinds
from playbookgen.schema import ANNOTATIONS, KINDS, semantics

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
    shipped = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))
    assert shipped == sorted([*KINDS, kinds.TRANSLATION_SCHEMA])
    assert set(kinds.names()) == set(KINDS)


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
        if relative.parts[0] == "translations":  # translations/<language>/<the file it translates>
            kind = kinds.TRANSLATION_SCHEMA
        else:
            source = kinds.kind_of(relative.as_posix())
            assert source is not None, relative
            kind = source.name
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


def annotated(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node that carries an annotation of what its values mean."""
    if any(name in node for name in ANNOTATIONS):
        yield path or "(root)", node
    for name, child in node.get("properties", {}).items():
        yield from annotated(child, f"{path}.{name}")
    for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
        if isinstance(node.get(key), dict):
            yield from annotated(node[key], f"{path}{suffix}")


@pytest.mark.parametrize("kind", KINDS)
def test_meaning_annotations_fit_the_values(kind: str) -> None:
    """x-tighter on numbers, durations and yes/no; x-unit on numbers; x-match on lists of
    mappings that have the key; x-diff on the top level or a review block. semantics() reads them all."""
    semantics(kind)  # refuses an annotation value it does not know
    for path, node in annotated(load(kind)):
        kinds_of_value = (
            {node.get("type")} if isinstance(node.get("type"), str) else set(node.get("type", []))
        )
        if "x-tighter" in node:
            duration = str(node.get("pattern", "")).startswith("^P(?=")
            assert kinds_of_value & {"number", "integer", "boolean"} or duration, path
        if "x-unit" in node:
            assert kinds_of_value & {"number", "integer"}, path
        if "x-match" in node:
            assert node["type"] == "array" and node["x-match"] in node["items"]["properties"], path
            assert node["x-match"] in node["items"].get("required", []), path
        if "x-diff" in node:
            # the top level of a file, or the review dates of an item in it
            assert (path.count(".") == 1 and "[]" not in path) or path.endswith(".review"), path


# 'a' before a vowel, 'an' before a consonant (the capital A of a RACI letter mid-sentence is
# not an article; words said with a consonant or vowel sound first are allowed).
_ARTICLE_A = r"(?:(?:^|(?<=\. )|(?<=\n))A|\ba)"
_A_BEFORE_VOWEL = re.compile(_ARTICLE_A + r" (?!one\b|once\b|uni|use|usu|eu|EUR\b|url\b|UR)[aeiouAEIOU]\w*")
_AN_BEFORE_CONSONANT = re.compile(
    r"(?:(?:^|(?<=\. )|(?<=\n))An|\ban) (?!hour|honest|SLA\b|NPS\b|FCR\b|FAQ\b|MP\b|RMA\b|HTML\b|SMS\b|X)"
    r"[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z]\w*"
)


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return [node] if isinstance(node, str) else []


def test_schema_descriptions_and_rule_docs_use_a_and_an_right() -> None:
    from playbookgen.rules import rule_docs

    texts = [t for kind in KINDS for t in _texts(load(kind))]
    texts += [t for doc in rule_docs() for t in (doc.summary, doc.doc_markdown)]
    slips = [
        m.group(0) for t in texts for m in (*_A_BEFORE_VOWEL.finditer(t), *_AN_BEFORE_CONSONANT.finditer(t))
    ]
    assert slips == []


def test_a_or_an() -> None:
    from playbookgen.text import a_or_an

    assert a_or_an("escalation level") == "an escalation level"
    assert a_or_an("role") == "a role"
    assert a_or_an("authority") == "an authority"
    assert a_or_an("SLA policy") == "an SLA policy"
    assert a_or_an("KPI") == "a KPI"
    assert a_or_an("one-off") == "a one-off"


def test_schema_command_writes_the_vscode_settings_its_help_promises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from playbookgen.cli import main
    from playbookgen.schema import editor_settings

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "vscode-settings.json" in runner.invoke(main, ["schema", "--help"]).output
    result = runner.invoke(main, ["schema", "--out", "tools/schemas"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "wrote tools/schemas/vscode-settings.json (copy it to .vscode/settings.json)" in result.output
    settings = json.loads((tmp_path / "tools/schemas/vscode-settings.json").read_text(encoding="utf-8"))
    assert settings == editor_settings("tools/schemas")
    for schema_file, globs in settings["yaml.schemas"].items():
        assert (tmp_path / schema_file).is_file() and globs[0].startswith("playbook/")
