"""What ``check`` found in each file last time, so that a check after a small edit reads
again only the files that changed.

Per file, keyed by a hash of its bytes, its kind and its path in the playbook: the parsed
data, the file's text (compressed, for positions), its ``ignore`` comments, the problems of
loading and of its schema, and the problems of its amounts (for the currency and locale they
were read in). The rules, which look across files, always run again.

One pack per playbook folder lives in the ``check`` folder of the cache (see
:mod:`playbookgen.codecache`; ``PLAYBOOKGEN_CACHE_DIR=`` turns it off). A pack made by
another version of playbookgen, by other code or schemas, or by another Python is never
used: its stamp is a hash of all of them. A pack that cannot be read, or whose contents are
not what this module writes, is ignored as if absent, so deleting the cache is always safe.
It is stored with :mod:`marshal` (plain values only; nothing in it is ever executed).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from playbookgen import __version__, codecache
from playbookgen.loader import Document
from playbookgen.problems import Problem, UnregisteredRule
from playbookgen.resources import resource_dir

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent
_SEVERITIES = ("error", "warning")

ProblemRow = tuple[str, int, int, str, str, str]
Loaded = tuple[Document | None, list[Problem]]


@functools.cache
def stamp() -> str:
    """A hash of playbookgen's version, code, message catalogues and schemas: a pack made
    with any other is never trusted."""
    return stamp_of([_PACKAGE, resource_dir("schemas")])


def stamp_of(folders: list[Path]) -> str:
    """A hash of the version and of every file in ``folders`` (compiled code left out)."""
    digest = hashlib.sha256(f"check-cache {FORMAT} {__version__}".encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            data = path.read_bytes()
            name = path.relative_to(folder).as_posix().encode()
            digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return codecache.key(digest.hexdigest())


def _rows(problems: list[Problem]) -> list[ProblemRow]:
    return [(p.path, p.line, p.column, p.rule, p.severity, p.message) for p in problems]


def _problems(rows: Any) -> list[Problem]:
    """Problems from stored rows; ValueError when a row is not one this module wrote."""
    if not isinstance(rows, list):
        raise ValueError("not a list of problems")
    found: list[Problem] = []
    for row in rows:
        if not (isinstance(row, tuple) and len(row) == 6):
            raise ValueError("not a problem")
        path, line, column, rule, severity, message = row
        if not (
            isinstance(path, str)
            and type(line) is int
            and type(column) is int
            and isinstance(rule, str)
            and severity in _SEVERITIES
            and isinstance(message, str)
        ):
            raise ValueError("not a problem")
        found.append(Problem(path, line, column, rule, severity, message))
    return found


class CheckCache:
    """The pack of one playbook folder: entries read at the start, written back at the end."""

    def __init__(self, root: Path) -> None:
        self.folder = codecache.cache_dir("check")
        self.name = codecache.key("check-pack", str(root.resolve()))
        self.old: dict[str, tuple[str, bytes, bytes, Any]] = {}
        self.new: dict[str, tuple[str, bytes, bytes, Any]] = {}
        self.hits = 0
        if self.folder is not None:
            self.old = _read_pack(self.folder / self.name)

    def load(self, path: Path, relpath: str, kind: str, raw: bytes, parse: Any) -> Loaded:
        """The document and problems of one file: from the pack when its bytes are the same,
        else from ``parse(raw)`` (which loads it and validates it against its schema)."""
        digest = hashlib.blake2b(raw, digest_size=20).digest()
        entry = self.old.get(relpath)
        if entry is not None and entry[0] == kind and entry[1] == digest:
            try:
                loaded = _unpack(entry[2], path, relpath)
            except (ValueError, EOFError, TypeError, UnregisteredRule):
                loaded = None
            if loaded is not None:
                self.hits += 1
                self.new[relpath] = (kind, digest, entry[2], entry[3])
                return loaded
        doc, problems = parse(raw)
        blob = marshal.dumps(
            (False, None, b"", {}, _rows(problems))
            if doc is None
            else (True, doc.data, doc.source, doc.suppressions, _rows(problems))
        )
        self.new[relpath] = (kind, digest, blob, None)
        return doc, problems

    def money(self, relpath: str, wording_key: str, compute: Any) -> list[Problem]:
        """The amount problems of one file, for a currency and locale (``wording_key``)."""
        entry = self.new.get(relpath)
        if entry is not None:
            stored = entry[3]
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == wording_key:
                try:
                    return _problems(stored[1])
                except (ValueError, UnregisteredRule):
                    pass
        found: list[Problem] = compute()
        if entry is not None:
            self.new[relpath] = (entry[0], entry[1], entry[2], (wording_key, _rows(found)))
        return found

    def save(self) -> None:
        """Write the pack (atomically; silently not at all when the folder is not writable)."""
        if self.folder is None or self.new == self.old:
            return
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps((FORMAT, stamp(), self.new)))
            os.replace(temporary, self.folder / self.name)
        except (OSError, ValueError):
            return


def _read_pack(path: Path) -> dict[str, tuple[str, bytes, bytes, Any]]:
    """The entries of a pack made by this very playbookgen, or none."""
    try:
        pack = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not (isinstance(pack, tuple) and len(pack) == 3 and pack[0] == FORMAT and pack[1] == stamp()):
        return {}
    entries = pack[2]
    if not isinstance(entries, dict):
        return {}
    return {
        rel: entry
        for rel, entry in entries.items()
        if isinstance(rel, str)
        and isinstance(entry, tuple)
        and len(entry) == 4
        and isinstance(entry[0], str)
        and isinstance(entry[1], bytes)
        and isinstance(entry[2], bytes)
    }


def _unpack(blob: bytes, path: Path, relpath: str) -> Loaded:
    """A stored file's document and problems; ValueError when the blob is not one we wrote."""
    value = marshal.loads(blob)
    if not (isinstance(value, tuple) and len(value) == 5):
        raise ValueError("not a stored file")
    ok, data, source, suppressions, rows = value
    problems = _problems(rows)
    if not ok:
        return None, problems
    if not isinstance(source, bytes) or not isinstance(suppressions, dict):
        raise ValueError("not a stored file")
    return Document(path, relpath, data, source, suppressions), problems
