"""What ``check`` found in each file last time, so that a check after a small edit reads
again only the files that changed.

Per file, keyed by its path in the playbook and its kind, and trusted by the file's
``lstat`` (unchanged: the file is not even read) or else by a hash of its bytes: the parsed
data, the file's text (compressed, for positions), its ``ignore`` comments, the problems of
loading and of its schema, the problems of its amounts (for the currency and locale they
were read in), the ids it refers to, and what the file-scoped rules (``SCOPE = "file"`` in
the rule's module) found in it, for one context (see :func:`playbookgen.rules.run`). The
other rules, which look across files, always run again.

One pack per playbook folder lives in the ``check`` folder of the cache (see
:mod:`playbookgen.codecache`; ``PLAYBOOKGEN_CACHE_DIR=`` turns it off). A pack made by
another version of playbookgen, by other code or schemas, or by another Python is never
used: its stamp is a hash of all of them. A pack that cannot be read, or whose contents are
not what this module writes, is ignored as if absent, so deleting the cache is always safe.
It is stored with :mod:`marshal` (plain values only; nothing in it is ever executed).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import mmap
import os
import secrets
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from playbookgen import __version__, codecache
from playbookgen.loader import Document, JsonPath
from playbookgen.problems import Problem, UnregisteredRule, registered_ids
from playbookgen.resources import resource_dir

FORMAT = 2
RACY_NS = 2_000_000_000
"""A file changed less than this (2 s) before a check started is read again next time:
the clock of its file system may not have ticked since (git's "racily clean" files)."""
CHANGES = ".changes"
"""The file beside a pack with the entries that changed since it was written."""
_PACKAGE = Path(__file__).resolve().parent
_SEVERITIES = ("error", "warning")

ProblemRow = tuple[str, int, int, str, str, str]
Loaded = tuple[Document | None, list[Problem]]
StatKey = tuple[int, int, int, int, int]
Reference = tuple[str, bool, JsonPath, str]
FindingRow = tuple[str, int, int, str]
"""A file-scoped rule's finding in the file: rule id, line, column, message."""
Entry = tuple[str, StatKey | None, bytes, bytes | memoryview, Any, Any, Any]
"""kind, lstat, hash of the bytes, document and problems (marshalled), amount problems,
references, file-scoped rules' findings."""


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
    """The pack of one playbook folder: entries read at the start, written back at the end.

    An entry is trusted by its file's ``lstat`` (size, modification and change times, inode
    and device, as git's index does) when the file was last changed well before it was
    read, else by a hash of its bytes."""

    def __init__(self, root: Path) -> None:
        self.folder = codecache.cache_dir("check")
        self.name = codecache.key("check-pack", str(root.resolve()))
        self.base: dict[str, Entry] = {}
        """The entries of the pack itself; ``old`` has the changes written beside it on top."""
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.hits = 0
        self.started = time.time_ns()
        self.token = ""
        self._stats: dict[str, StatKey | None] = {}
        if self.folder is not None:
            self.token, self.base = _read_pack(self.folder / self.name, None)
            self.old = dict(self.base)
            if self.token:
                _, changes = _read_pack(self.folder / (self.name + CHANGES), self.token)
                for rel, entry in changes.items():
                    if entry is None:
                        self.old.pop(rel, None)
                    else:
                        self.old[rel] = entry

    def unchanged(self, path: Path, relpath: str, kind: str) -> Loaded | None:
        """The document and problems of a file whose ``lstat`` is the one stored with them
        (so it is not read at all), else None (and :meth:`load` reads it)."""
        key = _stat_key(path, self.started)
        self._stats[relpath] = key
        entry = self.old.get(relpath)
        if key is None or entry is None or entry[0] != kind or entry[1] != key:
            return None
        return self._reuse(entry, path, relpath, key)

    def load(self, path: Path, relpath: str, kind: str, raw: bytes, parse: Any) -> Loaded:
        """The document and problems of one file: from the pack when its bytes are the same,
        else from ``parse(raw)`` (which loads it and validates it against its schema)."""
        digest = hashlib.blake2b(raw, digest_size=20).digest()
        key = self._stats.get(relpath)
        entry = self.old.get(relpath)
        if entry is not None and entry[0] == kind and entry[2] == digest:
            loaded = self._reuse(entry, path, relpath, key)
            if loaded is not None:
                return loaded
        doc, problems = parse(raw)
        blob = marshal.dumps(
            (False, None, b"", {}, _rows(problems))
            if doc is None
            else (True, doc.data, doc.source, doc.suppressions, _rows(problems))
        )
        self.new[relpath] = (kind, key, digest, blob, None, None, None)
        return doc, problems

    def _reuse(self, entry: Entry, path: Path, relpath: str, key: StatKey | None) -> Loaded | None:
        try:
            loaded = _unpack(entry[3], path, relpath)
        except (ValueError, EOFError, TypeError, UnregisteredRule):
            return None
        self.hits += 1
        self.new[relpath] = (entry[0], key, *entry[2:])
        return loaded

    def money(self, relpath: str, wording_key: str, compute: Any) -> list[Problem]:
        """The amount problems of one file, for a currency and locale (``wording_key``)."""
        entry = self.new.get(relpath)
        if entry is not None:
            stored = entry[4]
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == wording_key:
                try:
                    return _problems(stored[1])
                except (ValueError, UnregisteredRule):
                    pass
        found: list[Problem] = compute()
        if entry is not None:
            self.new[relpath] = (*entry[:4], (wording_key, _rows(found)), *entry[5:])
        return found

    def references(self, relpath: str, compute: Any) -> list[Reference]:
        """The ids one file refers to, as (target kind, on a key, path, id), in the order
        ``compute()`` gives them."""
        entry = self.new.get(relpath)
        if entry is not None and type(entry[5]) is list:
            stored: list[Reference] = entry[5]
            # Only this module writes them, under the stamp: a look at the shape is enough
            # to refuse what a damaged pack could hold.
            if _is_references(stored):
                return stored
        found: list[Reference] = compute()
        if entry is not None:
            self.new[relpath] = (*entry[:5], found, entry[6])
        return found

    def findings(self, relpath: str, context: str) -> list[FindingRow] | None:
        """What the file-scoped rules found in one file when last run in ``context``."""
        entry = self.new.get(relpath)
        stored = entry[6] if entry is not None else None
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == context):
            return None
        rows = stored[1]
        if not isinstance(rows, list) or not all(_is_finding(row) for row in rows):
            return None
        return rows

    def keep_findings(self, relpath: str, context: str, rows: list[FindingRow]) -> None:
        entry = self.new.get(relpath)
        if entry is not None:
            self.new[relpath] = (*entry[:6], (context, rows))

    def digest(self, relpath: str) -> bytes:
        """The hash of a loaded file's bytes (empty when it is not in the pack)."""
        entry = self.new.get(relpath)
        return entry[2] if entry is not None else b""

    def save(self) -> None:
        """Write what changed (atomically; silently not at all when the folder is not
        writable): beside the pack while that is small, else the whole pack again."""
        if self.folder is None or self.new == self.old:
            return
        changes: dict[str, Entry | None] = {
            rel: entry for rel, entry in self.new.items() if self.base.get(rel) != entry
        }
        changes.update((rel, None) for rel in self.base if rel not in self.new)
        try:
            if self.token and len(changes) * 8 <= len(self.base):
                _write(self.folder / (self.name + CHANGES), (FORMAT, stamp(), self.token, changes))
                return
            _write_pack(self.folder / self.name, secrets.token_hex(8), self.new)
            (self.folder / (self.name + CHANGES)).unlink(missing_ok=True)
        except (OSError, ValueError):
            return


def _write(path: Path, value: Any, blobs: list[bytes | memoryview] | None = None) -> None:
    """Write ``value`` marshalled (after its length, when ``blobs`` follow it) atomically."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            head = marshal.dumps(value)
            if blobs is None:
                out.write(head)
            else:
                out.write(len(head).to_bytes(8, "big"))
                out.write(head)
                out.writelines(blobs)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_pack(path: Path, token: str, entries: dict[str, Entry]) -> None:
    """A pack: the length of its index, the index (each file's entry with the place of its
    document among the blobs instead of the blob), then the blobs. Reading it maps the file
    and unmarshals each document from its place, without copying the blobs first."""
    index: dict[str, tuple[Any, ...]] = {}
    blobs: list[bytes | memoryview] = []
    offset = 0
    for rel, entry in entries.items():
        blob = entry[3]
        index[rel] = (*entry[:3], (offset, len(blob)), *entry[4:])
        blobs.append(blob)
        offset += len(blob)
    _write(path, (FORMAT, stamp(), token, index), blobs)


def _stat_key(path: Path, started: int) -> StatKey | None:
    """What ``lstat`` says of a regular file, or None when it cannot be trusted: not a
    regular file, or changed less than :data:`RACY_NS` before this check started (a change
    within the same clock tick would leave it the same)."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or max(found.st_mtime_ns, found.st_ctime_ns) > started - RACY_NS:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def _is_references(rows: list[Any]) -> bool:
    str_, tuple_ = str, tuple
    return all(
        type(row) is tuple_
        and len(row) == 4
        and type(row[0]) is str_
        and type(row[1]) is bool
        and type(row[2]) is tuple_
        and type(row[3]) is str_
        for row in rows
    )


def _is_finding(row: Any) -> bool:
    return (
        isinstance(row, tuple)
        and len(row) == 4
        and isinstance(row[0], str)
        and row[0] in registered_ids()
        and type(row[1]) is int
        and type(row[2]) is int
        and isinstance(row[3], str)
    )


def _read_pack(path: Path, token: str | None) -> tuple[str, dict[str, Any]]:
    """The token and entries of a pack made by this very playbookgen, or none; with
    ``token``, of the changes written beside the pack of that token (an entry may be None
    there: a file gone)."""
    try:
        if token is None:
            blobs = _mapped(path)
            size = int.from_bytes(blobs[:8], "big")
            pack = marshal.loads(blobs[8 : 8 + size])
            blobs = blobs[8 + size :]
        else:
            pack = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return "", {}
    if not (
        isinstance(pack, tuple)
        and len(pack) == 4
        and pack[0] == FORMAT
        and pack[1] == stamp()
        and isinstance(pack[2], str)
        and pack[2]
        and (token is None or pack[2] == token)
        and isinstance(pack[3], dict)
    ):
        return "", {}
    entries: dict[str, Any] = {}
    for rel, entry in pack[3].items():
        if not isinstance(rel, str):
            continue
        if token is None and type(entry) is tuple and len(entry) == 7:
            place = entry[3]
            if not (
                type(place) is tuple and len(place) == 2 and type(place[0]) is int and type(place[1]) is int
            ):
                continue
            entry = (*entry[:3], blobs[place[0] : place[0] + place[1]], *entry[4:])
        if (entry is None and token is not None) or _is_entry(entry):
            entries[rel] = entry
    return pack[2], entries


def _mapped(path: Path) -> memoryview:
    """The file's bytes, mapped into memory (read as documents are unmarshalled)."""
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return memoryview(b"")
        return memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))


def _is_entry(entry: Any) -> bool:
    return (
        type(entry) is tuple
        and len(entry) == 7
        and type(entry[0]) is str
        and (entry[1] is None or (type(entry[1]) is tuple and len(entry[1]) == 5))
        and type(entry[2]) is bytes
        and type(entry[3]) in (bytes, memoryview)
    )


def _unpack(blob: bytes | memoryview, path: Path, relpath: str) -> Loaded:
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
