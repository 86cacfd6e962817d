"""The schema seen from the diff: for each kind of item, its schema node, where inside it ids
of other items are expected and what its values mean (``x-tighter``, ``x-match``,
``x-unit``), all relative to the item, so the comparison is led by the schema."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from playbookgen import kinds
from playbookgen.schema import load_schema, references, semantics

_DIRECTIONS = {"higher": 1, "lower": -1}


@dataclass(frozen=True)
class Shape:
    """The schema of one kind of item: its node, the kind of item each reference names, which
    way each value is tighter (+1 higher, -1 lower), list entry keys and units; paths are
    relative to the item, with ``*`` for a list index."""

    node: dict[str, Any]
    refs: dict[tuple[str, ...], str]
    tighter: dict[tuple[str, ...], int]
    match: dict[tuple[str, ...], str]
    unit: dict[tuple[str, ...], str]


_EMPTY = Shape({}, {}, {}, {}, {})


@cache
def shape(kind: str) -> Shape:
    """The shape of one item of ``kind``, wherever the catalogue says such items live."""
    found = kinds.home_of(kind)
    if found is None:
        return _EMPTY  # the priority matrix and the settings are compared by their own code
    source, lst = found
    return _relative(source.name, (lst.key, "*") if lst is not None else ())


@cache
def file_shape(file_kind: str) -> Shape:
    """The shape of a whole file of ``file_kind``, for the keys outside its lists."""
    return _relative(file_kind, ())


def _relative(file_kind: str, prefix: tuple[str, ...]) -> Shape:
    """The shape of the part of a file under ``prefix``, with paths relative to it."""
    node: dict[str, Any] = load_schema(file_kind)
    for part in prefix:
        node = node.get("items", {}) if part == "*" else node.get("properties", {}).get(part, {})
    meaning = semantics(file_kind)

    def inside(table: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
        return {path[len(prefix) :]: value for path, value in table.items() if path[: len(prefix)] == prefix}

    refs = {ref.pattern: ref.target for ref in references(file_kind) if not ref.on_key}
    tighter = {path: _DIRECTIONS[value] for path, value in inside(meaning.tighter).items()}
    return Shape(node, inside(refs), tighter, inside(meaning.match), inside(meaning.unit))


def ignored_keys(file_kind: str) -> set[str]:
    """Top-level keys of a file that describe its version rather than the policy."""
    return {path[0] for path in semantics(file_kind).ignored if len(path) == 1}
