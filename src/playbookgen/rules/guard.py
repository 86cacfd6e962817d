"""Running the rules on a playbook with errors, without reporting what follows from them.

A file that breaks its schema still loaded, so the rules run on everything else and one run
lists every problem. A rule that reads a broken part would report its consequences (a
priority "never used" because the matrix is missing, a form "unused" because the category
that uses it is broken) or fail on a value of the wrong shape. So each rule sees the playbook
through :class:`Watched`, which notes whether it read a broken item, a list holding one, or a
broken file; the findings of such a rule are left out (the schema problem says what to fix).

An id that names nothing (``unknown-reference``) is the same kind of root cause: a category
whose only online script is misspelt or deleted is not also "without an online script". A
rule that looked up such an id reports nothing in the items that hold the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from playbookgen import kinds
from playbookgen.loader import Document, JsonPath
from playbookgen.model import Item, Playbook
from playbookgen.problems import Problem


@dataclass
class Broken:
    """The parts of a playbook that break their schema: whole files, and items in files."""

    files: set[str] = field(default_factory=set)
    """Relative paths of files broken outside any item (or with no item to blame)."""
    items: set[tuple[str, JsonPath]] = field(default_factory=set)
    """(relative path, path of the item in its file) of broken items."""
    kinds: set[str] = field(default_factory=set)
    """Item kinds with a broken item (or defined in a broken file)."""
    dangling: dict[tuple[str, str], set[tuple[str, JsonPath]]] = field(default_factory=dict)
    """Ids that name nothing, as (item kind, id), with the items that refer to them."""

    def __bool__(self) -> bool:
        return bool(self.files or self.items or self.dangling)

    def follows(self, looked_up: set[tuple[str, str]], relpath: str, path: JsonPath) -> bool:
        """Whether a finding at ``path`` of ``relpath`` is in an item that refers to one of
        the dangling ids the rule looked up (so it follows from that reference)."""
        return any(
            relpath == holder and path[: len(item)] == item
            for key in looked_up
            for holder, item in self.dangling.get(key, ())
        )


def broken_parts(playbook: Playbook, problems: Iterable[Problem]) -> Broken:
    """Which files and items the error ``problems`` are in."""
    broken = Broken()
    for problem in problems:
        doc = playbook.docs.get(problem.path)
        kind = playbook.kinds.get(problem.path)
        if doc is None or kind is None:
            continue
        source = kinds.source(kind)
        item = _item_at(doc, source, (problem.line, problem.column))
        if item is None:
            broken.files.add(problem.path)
            broken.kinds.update(k.id for k in source.item_kinds())
        else:
            broken.items.add((problem.path, item[1]))
            broken.kinds.add(item[0])
    return broken


def dangling_references(playbook: Playbook) -> dict[tuple[str, str], set[tuple[str, JsonPath]]]:
    """Every id that names nothing, with the items (file and path) that refer to it."""
    from playbookgen.model import follow
    from playbookgen.schema import references

    found: dict[tuple[str, str], set[tuple[str, JsonPath]]] = {}
    for relpath, kind in playbook.kinds.items():
        doc = playbook.docs[relpath]
        source = kinds.source(kind)
        for reference in references(kind):
            known = playbook.items.get(reference.target, {})
            for path, value in follow(doc.data, reference.pattern, on_key=reference.on_key):
                if isinstance(value, str) and value not in known:
                    item = () if source.folder else path[:2]
                    found.setdefault((reference.target, value), set()).add((relpath, item))
    return found


def _item_at(doc: Document, source: kinds.SourceKind, place: tuple[int, int]) -> tuple[str, JsonPath] | None:
    """The item kind and path of the item whose entry holds ``place``, if any."""
    if source.item is not None:
        return (source.item.id, ()) if isinstance(doc.data, dict) else None
    if not isinstance(doc.data, dict):
        return None
    keys = list(doc.data)
    for lst in source.lists:
        entries = doc.data.get(lst.key)
        if not isinstance(entries, list) or not entries:
            continue
        after = keys.index(lst.key) + 1
        end = doc.key_pos((keys[after],)) if after < len(keys) else (1 << 30, 0)
        starts = [doc.pos((lst.key, index)) for index in range(len(entries))]
        if not (starts[0] <= place < end):
            continue
        index = max(i for i, start in enumerate(starts) if start <= place)
        return lst.item.id, (lst.key, index)
    return None


class _Docs(dict[str, Document]):
    """The playbook's documents, noting a read of a broken one."""

    def __init__(self, docs: dict[str, Document], watched: Watched) -> None:
        super().__init__(docs)
        self._watched = watched

    def __getitem__(self, relpath: str) -> Document:
        self._watched.read_file(relpath)
        return super().__getitem__(relpath)

    def get(self, relpath: str, default: Any = None) -> Any:
        self._watched.read_file(relpath)
        return super().get(relpath, default)

    def __iter__(self) -> Iterator[str]:
        self._watched.read_everything()
        return super().__iter__()


class Watched(Playbook):
    """The playbook as one rule sees it; ``tainted`` once the rule read a broken part."""

    def __init__(self, playbook: Playbook, broken: Broken) -> None:
        super().__init__(playbook.root, dict(playbook.docs), dict(playbook.kinds), playbook.items)
        self.origin = playbook
        self.broken = broken
        self.tainted = False
        self.looked_up: set[tuple[str, str]] = set()
        """Dangling ids the rule looked up."""
        self.docs = _Docs(playbook.docs, self)

    def read_everything(self) -> None:
        if self.broken:
            self.tainted = True

    def read_file(self, relpath: str) -> None:
        if relpath in self.broken.files or any(path == relpath for path, _ in self.broken.items):
            self.tainted = True

    def _read_kind(self, kind: str) -> None:
        if kind in self.broken.kinds:
            self.tainted = True

    def all(self, kind: str) -> list[Item]:
        self._read_kind(kind)
        return super().all(kind)

    def get(self, kind: str, item_id: str) -> Item | None:
        item = super().get(kind, item_id)
        if item is None:
            self._read_kind(kind)  # it may be the broken one
            if (kind, item_id) in self.broken.dangling:
                self.looked_up.add((kind, item_id))
        elif item.doc.relpath in self.broken.files or (item.doc.relpath, item.path) in self.broken.items:
            self.tainted = True
        return item

    def file(self, kind: str) -> Document | None:
        for relpath, file_kind in self.kinds.items():
            if file_kind == kind:
                self.read_file(relpath)
        return super().file(kind)

    def documents(self, kind: str) -> Iterator[Document]:
        for relpath, file_kind in self.kinds.items():
            if file_kind == kind:
                self.read_file(relpath)
        return super().documents(kind)
