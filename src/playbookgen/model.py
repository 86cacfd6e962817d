"""The playbook model: every file loaded and validated, every item indexed by kind and id.

Items stay plain data (dicts straight from YAML) with a handle on the document they came
from, so every later stage can report a problem at the exact line and column.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbookgen import kinds
from playbookgen.loader import Document, FilePath, JsonPath, load_bytes, read_file
from playbookgen.problems import Problem
from playbookgen.projection import whole
from playbookgen.schema import references, validate
from playbookgen.text import a_or_an
from playbookgen.translations import Translations, languages, load_translations

if TYPE_CHECKING:
    from playbookgen.checkcache import CheckCache

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class Item:
    """One identified thing in the playbook: a role, a category, an SLA policy…"""

    kind: str
    id: str
    data: dict[str, Any]
    doc: Document
    path: JsonPath

    def pos(self, *sub: str | int) -> tuple[int, int]:
        return self.doc.pos((*self.path, *sub))

    def problem(self, sub: JsonPath, rule: str, message: str, *, key: bool = False) -> Problem:
        return self.doc.problem((*self.path, *sub), rule, message, key=key)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or self.data.get("title") or self.id)


@dataclass
class Playbook:
    """A loaded playbook: its documents and its items by kind and id."""

    root: Path
    docs: dict[str, Document] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    items: dict[str, dict[str, Item]] = field(default_factory=dict)
    translations: dict[str, Translations] = field(default_factory=dict)
    """The translation files of each other language, by language code (``nl``)."""
    today: date | None = None
    """The day reviews are judged on when the caller names one (``--today``); see
    :func:`playbookgen.review.as_of`."""

    @property
    def settings(self) -> dict[str, Any]:
        doc = self.docs.get("playbook.yaml")
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}

    def file(self, kind: str) -> Document | None:
        """The single document of a file kind (roles, sla…), if the playbook has it."""
        for relpath, file_kind in self.kinds.items():
            if file_kind == kind:
                return self.docs[relpath]
        return None

    def get(self, kind: str, item_id: str) -> Item | None:
        return self.items.get(kind, {}).get(item_id)

    def all(self, kind: str) -> list[Item]:
        return list(self.items.get(kind, {}).values())

    def documents(self, kind: str) -> Iterator[Document]:
        for relpath, file_kind in self.kinds.items():
            if file_kind == kind:
                yield self.docs[relpath]


def discover(root: Path) -> tuple[list[tuple[FilePath, str, str]], list[Problem]]:
    """The playbook's YAML files as (path, relative path, file kind), and any stray files."""
    found: list[tuple[FilePath, str, str]] = []
    links: set[str] = set()  # folder entries that are symbolic links (scandir knows without a look)
    problems: list[Problem] = []
    real_root = root.resolve()
    for source in kinds.sources():
        if source.required and not source.folder and not (root / source.path).exists():
            problems.append(
                Problem(
                    source.path,
                    1,
                    1,
                    "missing-file",
                    "error",
                    f"is missing; every playbook has {a_or_an(source.path)} "
                    f"(see schemas/{source.schema_file})",
                )
            )
    for source in kinds.sources():
        name = source.path
        if not source.folder:
            if (root / name).exists() or (root / name).is_symlink():
                found.append((root / name, name, source.name))
            continue
        base = root / name
        if not base.is_dir():
            if source.required:
                hint = source.missing_hint or f"add one file per {source.item_kinds()[0].singular}"
                problems.append(Problem(name, 1, 1, "missing-file", "error", f"folder is missing; {hint}"))
            continue
        for entry in sorted(os.scandir(base), key=lambda e: e.name):
            rel = f"{name}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if not entry.name.endswith((".yaml", ".yml")):
                problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "stray-file",
                        "warning",
                        f"is not a .yaml file and is ignored; move it out of {name}/",
                    )
                )
                continue
            found.append((entry.path, rel, source.name))
            if entry.is_symlink():
                links.add(rel)
    checked: list[tuple[FilePath, str, str]] = []
    for path, rel, kind in found:
        if rel in links or (not kinds.source(kind).folder and os.path.islink(path)):
            target = Path(path).resolve()
            if not target.is_relative_to(real_root):
                problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "file-outside-playbook",
                        "error",
                        "is a link to a file outside the playbook folder; copy the file in instead",
                    )
                )
                continue
            path = target
        checked.append((path, rel, kind))
    return checked, problems


def load_playbook(
    root: Path, cache: CheckCache | None = None, *, light: bool = False
) -> tuple[Playbook, list[Problem]]:
    """Load, validate and index every file; resolve every reference. Gathers all problems.
    With a ``cache``, a file whose bytes did not change since it was stored is not parsed
    or validated again (see :mod:`playbookgen.checkcache`); with ``light`` too, such a file
    of a folder has for data its projection, which reads the rest from the cache when asked
    (see :mod:`playbookgen.projection`; not for a playbook in more than one language, whose
    translation rules read every text)."""
    files, problems = discover(root)
    playbook = Playbook(root)
    unavailable: set[str] = set()
    decided = not light
    for path, rel, kind in files:
        if not decided and kinds.source(kind).folder:
            decided = True  # the single files come first: playbook.yaml names the languages
            light = not languages(playbook.settings)[1]
        doc, found = _load(path, rel, kind, cache, light=light)
        problems.extend(found)
        if doc is None or not isinstance(doc.data, dict):
            unavailable.update(_defines(kind))
        if doc is None:
            continue
        playbook.docs[rel] = doc
        playbook.kinds[rel] = kind
        if isinstance(doc.data, dict):
            problems.extend(_index(playbook, doc, kind))
            lists = kinds.source(kind).lists
            if lists:
                unavailable.update(
                    lst.item.id
                    for lst in lists
                    if lst.key in doc.data and not isinstance(doc.data[lst.key], list)
                )
    for source in kinds.sources():
        if source.required and not source.folder and source.path not in playbook.docs:
            unavailable.update(_defines(source.name))
    problems.extend(resolve_references(playbook, skip=unavailable, cache=cache))
    for language in languages(playbook.settings)[1]:
        table, found = load_translations(root, language)
        playbook.translations[language.code] = table
        problems.extend(found)
    return playbook, _typed_values(playbook, problems, cache)


def _load(
    path: FilePath, rel: str, kind: str, cache: CheckCache | None, *, light: bool = False
) -> tuple[Document | None, list[Problem]]:
    """One file loaded and validated against its schema: the problems of both."""
    if cache is not None:
        unchanged = cache.unchanged(path, rel, kind, light=light)
        if unchanged is not None:
            return unchanged

    def parse(raw: bytes) -> tuple[Document | None, list[Problem]]:
        doc, found = load_bytes(raw, path, rel)
        return doc, found if doc is None else found + validate(doc, kind)

    raw, problems = read_file(path, rel)
    if raw is None:
        return None, problems
    return parse(raw) if cache is None else cache.load(path, rel, kind, raw, parse, light=light)


def _typed_values(playbook: Playbook, problems: list[Problem], cache: CheckCache | None) -> list[Problem]:
    """Add the problems of amounts and typed values (see :mod:`playbookgen.money`); they say
    more than the schema's "should be a number" at the same place, which they replace."""
    from playbookgen import money

    wording = money.wording_for(playbook.settings)
    read = f"{wording.locale} {wording.currency}"
    found: list[Problem] = []
    for rel, kind in playbook.kinds.items():
        doc = playbook.docs[rel]
        if cache is None:
            found.extend(money.check_doc(doc, kind, wording))
        else:
            found.extend(cache.money(rel, read, lambda: money.check_doc(_whole(doc), kind, wording)))  # noqa: B023
    places = {(p.path, p.line, p.column) for p in found}
    kept = [
        p for p in problems if not (p.rule.startswith("schema-") and (p.path, p.line, p.column) in places)
    ]
    return kept + found


def _whole(doc: Document) -> Document:
    whole(doc)
    return doc


def _defines(file_kind: str) -> set[str]:
    """The item kinds a kind of file defines (so references to them cannot be checked
    while that file is broken)."""
    return {item.id for item in kinds.source(file_kind).item_kinds()}


def _index(playbook: Playbook, doc: Document, kind: str) -> list[Problem]:
    source = kinds.source(kind)
    if source.item is not None and not source.lists:
        # A file of a folder, one item (most files of a large playbook): the short way.
        item_id = doc.data.get("id")
        if type(item_id) is str and ID_PATTERN.match(item_id):
            bucket = playbook.items.setdefault(source.item.id, {})
            stem = doc.relpath[doc.relpath.rfind("/") + 1 :].rpartition(".")[0]
            if item_id == stem and item_id not in bucket:
                bucket[item_id] = Item(source.item.id, item_id, doc.data, doc, ())
                return []
    return _index_all(playbook, doc, kind)


def _index_all(playbook: Playbook, doc: Document, kind: str) -> list[Problem]:
    problems: list[Problem] = []
    entries: list[tuple[str, dict[str, Any], JsonPath]] = []
    source = kinds.source(kind)
    if source.item is not None:
        entries.append((source.item.id, doc.data, ()))
        stem = os.path.splitext(os.path.basename(doc.relpath))[0]
        item_id = doc.data.get("id")
        if item_id != stem and isinstance(item_id, str) and ID_PATTERN.match(item_id):
            problems.append(
                doc.problem(
                    ("id",),
                    "id-matches-file",
                    f"the id '{item_id}' differs from the file name '{stem}'; "
                    f"rename the file to {item_id}.yaml or change the id",
                )
            )
    for lst in source.lists:
        # Entries matched by another key (goodwill limits by role) are not items with ids.
        if lst.item.match == "id" and isinstance(doc.data.get(lst.key), list):
            for index, entry in enumerate(doc.data[lst.key]):
                entries.append((lst.item.id, entry, (lst.key, index)))
    for item_kind, data, path in entries:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        if not ID_PATTERN.match(data["id"]):
            continue  # reported by the schema; an invalid id must not become a file name
        bucket = playbook.items.setdefault(item_kind, {})
        item_id = data["id"]
        if item_id in bucket:
            first = bucket[item_id]
            line, _ = first.pos("id")
            problems.append(
                doc.problem(
                    (*path, "id"),
                    "duplicate-id",
                    f"the {kinds.kind_name(item_kind)} id '{item_id}' is already used in "
                    f"{first.doc.relpath} line {line}; ids must be unique — rename "
                    "one of them",
                )
            )
            continue
        bucket[item_id] = Item(item_kind, item_id, data, doc, path)
    return problems


def resolve_references(
    playbook: Playbook, skip: set[str] | None = None, cache: CheckCache | None = None
) -> list[Problem]:
    """Every id that refers to another item must exist; suggest the closest one that does.
    Kinds in ``skip`` are not checked (their file is broken and already reported). A
    ``cache`` keeps the ids each file refers to, and the problems found in it while the ids
    of the playbook (and ``skip``) stay the same."""
    problems: list[Problem] = []
    ids = _ids_hash(playbook, skip) if cache is not None else b""
    for rel, kind in playbook.kinds.items():
        doc = playbook.docs[rel]
        if cache is None:
            problems.extend(_dangling_in(playbook, doc, referred(doc.data, kind), skip))
            continue

        def find(rel: str = rel, doc: Document = doc, kind: str = kind) -> list[Problem]:
            found = cache.references(rel, lambda: referred(whole(doc), kind))
            return _dangling_in(playbook, doc, found, skip)

        problems.extend(cache.unknown(rel, ids, find))
    return problems


def _dangling_in(
    playbook: Playbook, doc: Document, found: list[tuple[str, bool, JsonPath, str]], skip: set[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    no_items: dict[str, Item] = {}
    for target, on_key, path, value in found:
        if skip and target in skip:
            continue
        known = playbook.items.get(target, no_items)
        if value in known:
            continue
        problems.append(dangling(doc, path, value, target, list(known), key=on_key))
    return problems


def _ids_hash(playbook: Playbook, skip: set[str] | None) -> bytes:
    """A hash of every id in the playbook, by kind, and of the kinds left unchecked: what the
    problems of a file's references depend on besides the file."""
    digest = hashlib.blake2b(digest_size=16)
    for kind in sorted(playbook.items):
        digest.update(kind.encode() + b"\0" + "\0".join(sorted(playbook.items[kind])).encode() + b"\1")
    digest.update(repr(sorted(skip or ())).encode())
    return digest.digest()


def referred(data: Any, kind: str) -> list[tuple[str, bool, JsonPath, str]]:
    """The ids a file of ``kind`` refers to: (target item kind, whether the id is a key,
    path, id), in the order of its schema's references."""
    return [
        (reference.target, reference.on_key, path, value)
        for reference in references(kind)
        for path, value in follow(data, reference.pattern, on_key=reference.on_key)
        if isinstance(value, str)
    ]


def dangling(
    doc: Document, path: JsonPath, value: str, target: str, known: list[str], *, key: bool = False
) -> Problem:
    """The problem for an id that names nothing, with the closest existing id as a hint."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    name = kinds.kind_name(target)
    home = kinds.kind_home(target)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif known:
        hint = f"define it in {home} or use one of: {', '.join(sorted(known)[:8])}"
    else:
        hint = f"define it in {home}"
    return doc.problem(path, "unknown-reference", f"no {name} has the id '{value}'; {hint}", key=key)


def follow(
    data: Any, pattern: tuple[str, ...], path: JsonPath = (), *, on_key: bool = False
) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) in ``data`` matching a pattern of keys, ``*`` (any list index) and
    ``**`` (any mapping key; with ``on_key``, a final ``**`` yields the key itself)."""
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from follow(item, rest, (*path, index), on_key=on_key)
    elif head == "**":
        if isinstance(data, dict):
            for key, item in data.items():
                if on_key and not rest:
                    yield (*path, key), key
                else:
                    yield from follow(item, rest, (*path, key), on_key=on_key)
    elif isinstance(data, dict) and head in data:
        yield from follow(data[head], rest, (*path, head), on_key=on_key)


def path_roles(entry: dict[str, Any]) -> list[tuple[str, JsonPath]]:
    """The roles of one escalation-path entry, each with where it is written inside the
    entry: ``role``, each of ``roles``, or each branch's ``role``."""
    if isinstance(entry.get("branches"), list):
        return [
            (str(branch["role"]), ("branches", index, "role"))
            for index, branch in enumerate(entry["branches"])
            if isinstance(branch, dict) and "role" in branch
        ]
    if isinstance(entry.get("roles"), list):
        return [(str(role), ("roles", index)) for index, role in enumerate(entry["roles"])]
    return [(str(entry["role"]), ("role",))] if "role" in entry else []
