"""JSON Schema validation of playbook files, reported at the offending value's position.

Each schema is compiled once. Every jsonschema error is turned into a problem at the
position of the value it is about (or of the key that holds a missing value), with a
message a CS leader can act on rather than a jsonschema dump.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from playbookgen import codecache, kinds
from playbookgen.loader import Document, JsonPath
from playbookgen.problems import Problem
from playbookgen.resources import resource_dir
from playbookgen.text import a_or_an

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

KINDS = kinds.names()
"""Every kind of playbook file, each with one schema (read from the catalogue)."""

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping (key: value pairs)",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z])")


@dataclass(frozen=True)
class Reference:
    """A place in a kind of file where an id of another kind is expected.

    ``pattern`` is a JSON path in which ``"*"`` stands for any list index and ``"**"``
    for any mapping key; ``on_key`` is true when the mapping key itself is the id.
    """

    pattern: tuple[str, ...]
    target: str
    on_key: bool = False


def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind of playbook file, as shipped with playbookgen."""
    return _load_schema(kind)


@cache
def _load_schema(kind: str) -> dict[str, Any]:
    path = resource_dir("schemas") / f"{kind}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    # Imported here: jsonschema is only needed to explain a file that is not valid.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_load_schema(kind))


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    """A compiled validator that only says yes or no, for the common case of a valid file.
    The schemas use no keyword whose meaning differs between draft 7 and 2020-12."""
    schema = dict(_load_schema(kind), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    name = codecache.key("fastjsonschema", fastjsonschema.VERSION, json.dumps(schema, sort_keys=True))
    code = codecache.load_code("validators", name)
    if code is None:
        source = fastjsonschema.compile_to_code(schema, use_default=False)
        # The generated module's first function validates the whole document.
        entry = _FIRST_FUNCTION.search(source)
        source += f"\n\n_entry = {entry.group(1) if entry else 'validate'}\n"
        code = compile(source, f"<validator of {kind}.schema.json>", "exec")
        codecache.store_code("validators", name, code)
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # code fastjsonschema generated from our own schema
    validator: Callable[[Any], Any] = namespace["_entry"]
    return validator


_FIRST_FUNCTION = re.compile(r"^def (\w+)\(data\b", re.MULTILINE)


@cache
def references(kind: str) -> tuple[Reference, ...]:
    """Every place a file of this kind refers to an id, read off the schema's ``x-ref``."""
    found: list[Reference] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if "x-ref" in node:
            found.append(Reference(path, node["x-ref"]))
        for name, child in node.get("properties", {}).items():
            walk(child, (*path, name))
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, (*path, "*"))
        names = node.get("propertyNames")
        if isinstance(names, dict) and "x-ref" in names:
            found.append(Reference((*path, "**"), names["x-ref"], on_key=True))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            walk(extra, (*path, "**"))

    walk(_load_schema(kind), ())
    return tuple(found)


ANNOTATIONS: dict[str, tuple[str, ...]] = {
    "x-tighter": ("higher", "lower"),
    "x-match": (),
    "x-unit": ("money", "percent"),
    "x-unit-from": (),
    "x-diff": ("ignore",),
}
"""The annotations that say what values mean, with the values each may take (any text for
``x-match``, which names a key of the list's entries)."""


@dataclass(frozen=True)
class Semantics:
    """What the values of a kind of file mean, read off the schema's annotations; paths as
    in :class:`Reference`.

    ``tighter``: which way a number, duration or yes/no asks more of staff (``x-tighter``:
    ``higher`` or ``lower``; yes counts as higher). ``match``: the key that matches a list's
    entries across versions (``x-match``; entries with an ``id`` match by it anyway).
    ``unit``: numbers that are ``money`` or a ``percent`` (``x-unit``). ``ignored``: keys that
    describe the version, not the policy (``x-diff: ignore``). ``unit_from``: values whose
    unit is named by a sibling key (``x-unit-from: unit``: a policy value, a KPI target), so
    they must be of that unit's type (see :mod:`playbookgen.money`).
    """

    tighter: dict[tuple[str, ...], str]
    match: dict[tuple[str, ...], str]
    unit: dict[tuple[str, ...], str]
    ignored: frozenset[tuple[str, ...]]
    unit_from: dict[tuple[str, ...], str] = field(default_factory=dict)


@cache
def semantics(kind: str) -> Semantics:
    """The meaning of the values of a kind of file, read once from its schema."""
    found: dict[str, dict[tuple[str, ...], str]] = {name: {} for name in ANNOTATIONS}

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        for name, allowed in ANNOTATIONS.items():
            value = node.get(name)
            if value is None:
                continue
            if not isinstance(value, str) or (allowed and value not in allowed):
                where = ".".join(path) or "(root)"
                raise ValueError(f"{kind}.schema.json: {name} at {where} cannot be {value!r}")
            found[name][path] = value
        for name, child in node.get("properties", {}).items():
            walk(child, (*path, name))
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, (*path, "*"))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            walk(extra, (*path, "**"))

    walk(_load_schema(kind), ())
    return Semantics(
        found["x-tighter"],
        found["x-match"],
        found["x-unit"],
        frozenset(found["x-diff"]),
        found["x-unit-from"],
    )


TRANSLATE = ("text", "script")
"""What ``x-translate`` may say of a text: translated for readers of other languages
(``text``), or also what staff say to customers, which every language must have (``script``)."""


@cache
def translatable(kind: str) -> dict[tuple[str, ...], str]:
    """The texts of a kind of file that are translated (``x-translate``), by path (``*`` for
    any list index), in schema order."""
    found: dict[tuple[str, ...], str] = {}

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        value = node.get("x-translate")
        if value is not None:
            if value not in TRANSLATE:
                raise ValueError(f"{kind}.schema.json: x-translate at {'.'.join(path)} cannot be {value!r}")
            found[path] = value
        for name, child in node.get("properties", {}).items():
            walk(child, (*path, name))
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, (*path, "*"))

    walk(_load_schema(kind), ())
    return found


def validate(doc: Document, kind: str) -> list[Problem]:
    """Problems with one loaded file against the schema of its kind."""
    if doc.data is None:
        return [
            Problem(
                doc.relpath,
                1,
                1,
                "schema-empty-file",
                "error",
                f"is empty; {a_or_an(kind)} file needs content — see schemas/{kind}.schema.json",
            )
        ]
    try:
        _fast_validator(kind)(doc.data)
    except fastjsonschema.JsonSchemaException:
        pass  # explain every error below
    else:
        return []
    problems: list[Problem] = []
    for error in _validator(kind).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return sorted(set(problems))


def _explain(doc: Document, error: ValidationError) -> Iterator[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = str(error.validator)
    value = error.instance

    if kind == "required":
        match = _REQUIRED.match(error.message)
        name = match.group(1) if match else str(error.validator_value)
        known = schema.get("properties", {})
        strays = [str(k) for k in value if k not in known] if isinstance(value, dict) else []
        if difflib.get_close_matches(name, strays, n=1, cutoff=0.6):
            return  # a misspelt key: the unknown-key problem says "did you mean"
        about = _describe(schema.get("properties", {}).get(name, {}))
        where = f" in {_where(path)}" if path else ""
        yield doc.problem(path, "schema-required", f"'{name}' is missing{where}; add it{about}", key=True)
        return
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        for key in value:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "the keys allowed here are " + ", ".join(k for k in known if k != "$schema")
            )
            yield doc.problem((*path, key), "schema-unknown-key", f"unknown key '{key}'; {hint}", key=True)
        return
    if kind == "type":
        expected = schema.get("type")
        names = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        if names == ["string"] and isinstance(value, (int, float)) and not isinstance(value, bool):
            yield doc.problem(
                path,
                "schema-type",
                f"{_show(value)} is read as a number but should be text; put it in quotes: "
                f"'{value}'{_describe(schema)}",
            )
            return
        yield doc.problem(
            path,
            "schema-type",
            f"{_show(value)} should be {wanted}, not {_kind_of(value)}{_describe(schema)}",
        )
        return
    if kind == "enum":
        options = [str(o) for o in schema.get("enum", [])]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        yield doc.problem(
            path, "schema-enum", f"{_show(value)} is not allowed here; use one of: {', '.join(options)}{hint}"
        )
        return
    if kind == "pattern":
        yield _pattern_problem(doc, path, value, str(error.validator_value), schema)
        return
    if kind == "propertyNames":
        yield doc.problem(path, "schema-bad-id", f"{_show(value)} is not a valid id: {_ID_HINT}", key=True)
        return
    if kind in ("minItems", "minProperties"):
        count = error.validator_value
        yield doc.problem(
            path,
            "schema-too-few",
            f"{_where(path) or 'this'} needs at least {count} "
            f"{'entry' if count == 1 else 'entries'}{_describe(schema)}",
        )
        return
    if kind == "minLength":
        yield doc.problem(path, "schema-empty-text", "this text is empty; write something or remove the key")
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = error.validator_value
        word = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[kind]
        yield doc.problem(
            path,
            "schema-out-of-range",
            f"{_show(value)} is out of range: it must be {word} {bound}{_describe(schema)}",
        )
        return
    if kind == "uniqueItems":
        seen: set[str] = set()
        for index, item in enumerate(value if isinstance(value, list) else []):
            marker = json.dumps(item, sort_keys=True)
            if marker in seen:
                yield doc.problem(
                    (*path, index),
                    "schema-duplicate-item",
                    f"{_show(item)} is listed twice; remove the repeat",
                )
            seen.add(marker)
        return
    yield doc.problem(path, "schema-invalid", f"{error.message}{_describe(schema)}")


_ID_HINT = (
    "ids use lowercase letters, digits and hyphens, start with a letter or digit, and are at most "
    "64 characters, e.g. missing-item"
)


def _pattern_problem(
    doc: Document, path: JsonPath, value: Any, pattern: str, schema: dict[str, Any]
) -> Problem:
    if pattern.startswith("^[a-z0-9][a-z0-9-]"):
        return doc.problem(path, "schema-bad-id", f"{_show(value)} is not a valid id: {_ID_HINT}")
    if pattern.startswith("^P(?="):
        return doc.problem(
            path,
            "schema-bad-duration",
            f"{_show(value)} is not an ISO 8601 duration; write PT15M for 15 minutes, "
            "PT4H for four hours, P2D for two days",
        )
    if pattern == r"^\d{4}-\d{2}-\d{2}$":
        return doc.problem(
            path, "schema-bad-date", f"{_show(value)} is not a date; write YYYY-MM-DD, e.g. 2026-11-01"
        )
    if "[0-5]" in pattern and ":" in pattern:
        return doc.problem(
            path,
            "schema-bad-time",
            f"{_show(value)} is not a time; write 24-hour HH:MM in quotes, e.g. '09:00'",
        )
    return doc.problem(
        path, "schema-bad-format", f"{_show(value)} is not in the expected form{_describe(schema)}"
    )


def _describe(schema: dict[str, Any]) -> str:
    description = schema.get("description")
    if not description:
        return ""
    first = _SENTENCE_END.split(str(description))[0].rstrip(".")
    if not first:
        return ""
    if len(first) > 1 and first[1].islower():
        first = first[0].lower() + first[1:]
    return f" ({first})"


def _where(path: JsonPath) -> str:
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in path]
    return "".join(p if p.startswith("[") else f".{p}" for p in parts).lstrip(".")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, (dict, list)):
        return "this " + _kind_of(value).split(" ", 1)[-1]
    return json.dumps(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


def write_schemas(out: Path) -> list[Path]:
    """Copy every shipped schema into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds.schema_names():
        target = out / f"{kind}.schema.json"
        target.write_text(
            json.dumps(_load_schema(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written.append(target)
    return written


def editor_settings(schema_dir: str = "schemas", playbook_dir: str = "playbook") -> dict[str, Any]:
    """VS Code (YAML extension) settings mapping each playbook file to its schema."""
    return {
        "yaml.schemas": {
            **{
                f"./{schema_dir}/{source.schema_file}": [f"{playbook_dir}/{source.glob}"]
                for source in kinds.sources()
            },
            f"./{schema_dir}/{kinds.TRANSLATION_SCHEMA}.schema.json": [
                f"{playbook_dir}/translations/**/*.yaml"
            ],
        },
        "yaml.customTags": [],
        "files.associations": {"*.yaml": "yaml"},
    }
