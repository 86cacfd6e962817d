"""What the rules that look across files read of each file of a folder, so that ``check``
with a previous check's cache unmarshals only that of an unchanged file.

A rule that looks across files (orphaned forms, recovery coverage, …) reads a few keys of
every category, form, script, module or scorecard. It declares them in its module as
``READS = {"category": ("channels", "recovery_scripts"), …}`` (top-level keys by kind of
file; a rule that reads no folder file declares ``READS = {}``). The check cache keeps, beside
each such file's whole data, its *projection*: those keys of every rule together (and
``id``, ``name`` and ``title``, which the model and messages read), and a check of an
unchanged file loads only the projection (:class:`Projection`).

A read of any other key makes the projection whole: the file's data is unmarshalled from
the cache (or read from the file again) in place, so the answer is always the one a whole
file gives, only slower. In the tests (:data:`STRICT`) such a read raises
:class:`UndeclaredRead` instead, so a rule that reads a key it does not declare fails
loudly. Code that reads whole files on purpose (the file-scoped rules on changed files, a
playbook with errors, the translation rules) calls :func:`complete` first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playbookgen.loader import Document
    from playbookgen.model import Playbook

ALWAYS = ("id", "name", "title")
"""Keys every projection keeps: the id the model indexes, the name messages quote."""
STRICT = False
"""True in the tests: a read outside a projection raises :class:`UndeclaredRead`."""


class UndeclaredRead(Exception):
    """A rule read a key of a file of a folder that no rule's ``READS`` declares."""


@functools.cache
def keys(kind: str) -> frozenset[str]:
    """The top-level keys a projection of a file of ``kind`` keeps."""
    from playbookgen.rules import declared_reads

    return frozenset(ALWAYS) | declared_reads().get(kind, frozenset())


def project(data: Any, kind: str) -> dict[str, Any]:
    """The keys of ``data`` (a file's mapping) that its projection keeps, in file order."""
    wanted = keys(kind)
    return {key: value for key, value in data.items() if key in wanted}


class Projection(dict[str, Any]):
    """A file's data with only the keys of :func:`keys`; made whole (``whole()`` gives the
    file's data) at the first read of any other key, or of all of them."""

    __slots__ = ("_keys", "_relpath", "_whole")

    def __init__(
        self, projected: dict[str, Any], kind: str, relpath: str, whole: Callable[[], dict[str, Any]]
    ) -> None:
        super().__init__(projected)
        self._keys: frozenset[str] | None = keys(kind)
        self._whole = whole
        self._relpath = relpath

    @property
    def partial(self) -> bool:
        return self._keys is not None

    def complete(self, key: object = None, *, asked: bool = True) -> None:
        """Load the rest of the file (``asked``: on purpose, even in the tests)."""
        if self._keys is None:
            return
        if STRICT and not asked:
            raise UndeclaredRead(
                f"{self._relpath}: read of {key!r}, which no rule's READS declares "
                f"(the projection keeps {sorted(self._keys)}); add it to READS of the rule"
            )
        data = self._whole()
        dict.clear(self)
        dict.update(self, data)
        self._keys = None

    def _read(self, key: object) -> None:
        if self._keys is not None and key not in self._keys:
            self.complete(key, asked=False)

    def __getitem__(self, key: str) -> Any:
        self._read(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self._read(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._read(key)
        return dict.__contains__(self, key)

    def _all(self) -> None:
        if self._keys is not None:
            self.complete("every key", asked=False)

    def __iter__(self) -> Iterator[str]:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def __reversed__(self) -> Iterator[str]:
        self._all()
        return dict.__reversed__(self)

    def keys(self) -> Any:
        self._all()
        return dict.keys(self)

    def values(self) -> Any:
        self._all()
        return dict.values(self)

    def items(self) -> Any:
        self._all()
        return dict.items(self)

    def copy(self) -> dict[str, Any]:
        self._all()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._all()
        if isinstance(other, Projection):
            other._all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        self._all()
        return dict.__repr__(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._all()
        return (dict, (dict(dict.items(self)),))

    def __or__(self, other: Any) -> Any:
        self._all()
        return dict(dict.items(self)) | other

    def __ror__(self, other: Any) -> Any:
        self._all()
        return other | dict(dict.items(self))

    def __setitem__(self, key: str, value: Any) -> None:
        self._all()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        self._all()
        dict.__delitem__(self, key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._all()
        return dict.setdefault(self, key, default)

    def pop(self, key: str, *default: Any) -> Any:
        self._all()
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, Any]:
        self._all()
        return dict.popitem(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._all()
        dict.update(self, *args, **kwargs)

    def __ior__(self, other: Any) -> Any:
        self._all()
        dict.update(self, other)
        return self


def whole(doc: Document) -> Any:
    """A document's whole data (its projection made whole when it is one)."""
    if isinstance(doc.data, Projection):
        doc.data.complete()
    return doc.data


def complete(playbook: Playbook, relpaths: set[str] | None = None) -> None:
    """Make the projections of the playbook (or of ``relpaths``) whole."""
    for relpath, doc in playbook.docs.items():
        if isinstance(doc.data, Projection) and (relpaths is None or relpath in relpaths):
            doc.data.complete()


def partial(playbook: Playbook) -> bool:
    """Whether any file of the playbook is loaded as a projection."""
    return any(isinstance(doc.data, Projection) and doc.data.partial for doc in playbook.docs.values())
