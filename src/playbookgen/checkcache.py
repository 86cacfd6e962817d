"""What ``check`` found in each file last time, so that a check after a small edit reads
again only the files that changed.

Per file, keyed by its path in the playbook and its kind, and trusted by the file's
``lstat`` (unchanged: the file is not even read) or else by a hash of its bytes: the parsed
data, the file's text (compressed, for positions), its ``ignore`` comments, the problems of
loading and of its schema, the problems of its amounts (for the currency and locale they
were read in), the ids it refers to, and what the file-scoped rules (``SCOPE = "file"`` in
the rule's module, or a rule's ``check_file``) found in it, for one context (see
:func:`playbookgen.rules.run`). The other rules, which look across files, always run again;
for them a file of a folder is kept twice: its projection (the keys they read, see
:mod:`playbookgen.projection`) apart from its whole data, so a check of an unchanged file
can unmarshal only the projection.

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
import stat
import time
from pathlib import Path
from typing import Any

from playbookgen import __version__, codecache, kinds
from playbookgen.loader import Document, FilePath, JsonPath, load_bytes, read_file
from playbookgen.problems import Problem, UnregisteredRule
from playbookgen.projection import Projection, project
from playbookgen.resources import resource_dir

FORMAT = 3
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
Blob = bytes | memoryview
Entry = tuple[str, StatKey | None, bytes, Blob, Any, Any, Any, Blob, Blob, Blob]
"""kind, lstat, hash of the bytes, document and problems (marshalled; a file of a folder with
its projection for data), amount problems, the problems of ids it refers to that name
nothing (for one set of ids in the playbook), file-scoped rules' findings, then blobs: the
whole data of a file of a folder (marshalled; else empty), the file's text (compressed) and
the ids it refers to (marshalled; empty until known)."""
LIGHT, MONEY, UNKNOWN, FINDINGS, DATA, SOURCE, REFS = 3, 4, 5, 6, 7, 8, 9
BLOBS = (LIGHT, SOURCE, REFS, DATA)
"""Where an entry holds blobs, in the order they are laid out in a pack: what every check
reads first, together; the whole data, which few checks read, last."""


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

    def unchanged(self, path: FilePath, relpath: str, kind: str, *, light: bool = False) -> Loaded | None:
        """The document and problems of a file whose ``lstat`` is the one stored with them
        (so it is not read at all), else None (and :meth:`load` reads it). With ``light``,
        a file of a folder has its projection for data (see :mod:`playbookgen.projection`)."""
        key = _stat_key(path, self.started)
        self._stats[relpath] = key
        entry = self.old.get(relpath)
        if key is None or entry is None or entry[0] != kind or entry[1] != key:
            return None
        return self._reuse(entry, path, relpath, key, light)

    def load(
        self, path: FilePath, relpath: str, kind: str, raw: bytes, parse: Any, *, light: bool = False
    ) -> Loaded:
        """The document and problems of one file: from the pack when its bytes are the same,
        else from ``parse(raw)`` (which loads it and validates it against its schema)."""
        digest = hashlib.blake2b(raw, digest_size=20).digest()
        key = self._stats.get(relpath)
        entry = self.old.get(relpath)
        if entry is not None and entry[0] == kind and entry[2] == digest:
            loaded = self._reuse(entry, path, relpath, key, light)
            if loaded is not None:
                return loaded
        doc, problems = parse(raw)
        rows = _rows(problems)
        whole, source = b"", b""
        if doc is None:
            blob = marshal.dumps((False, None, {}, rows, False))
        elif kinds.source(kind).folder and isinstance(doc.data, dict):
            blob = marshal.dumps((True, project(doc.data, kind), doc.suppressions, rows, True))
            whole, source = marshal.dumps(doc.data), doc.source
        else:
            blob = marshal.dumps((True, doc.data, doc.suppressions, rows, False))
            source = doc.source
        self.new[relpath] = (kind, key, digest, blob, None, None, None, whole, source, b"")
        return doc, problems

    def _reuse(
        self, entry: Entry, path: FilePath, relpath: str, key: StatKey | None, light: bool
    ) -> Loaded | None:
        try:
            loaded = _unpack(entry, path, relpath, light)
        except (ValueError, EOFError, TypeError, UnregisteredRule):
            return None
        self.hits += 1
        self.new[relpath] = (entry[0], key, *entry[2:])
        return loaded

    def money(self, relpath: str, wording_key: str, compute: Any) -> list[Problem]:
        """The amount problems of one file, for a currency and locale (``wording_key``)."""
        return self._kept(relpath, MONEY, wording_key, compute)

    def unknown(self, relpath: str, ids: bytes, compute: Any) -> list[Problem]:
        """The problems of the ids one file refers to that name nothing, as ``compute()``
        finds them: kept while the file and ``ids`` (a hash of every id in the playbook, see
        :func:`playbookgen.model.resolve_references`) stay the same."""
        return self._kept(relpath, UNKNOWN, ids, compute)

    def _kept(self, relpath: str, at: int, key: object, compute: Any) -> list[Problem]:
        """The problems ``compute()`` finds in one file, kept in its entry at ``at`` together
        with the ``key`` they hold for (and found again when the key is another)."""
        entry = self.new.get(relpath)
        if entry is not None:
            stored = entry[at]
            if type(stored) is tuple and len(stored) == 2 and stored[0] == key:
                try:
                    return _problems(stored[1])
                except (ValueError, UnregisteredRule):
                    pass
        found: list[Problem] = compute()
        if entry is not None:  # compute() may have added to the entry (the ids it read)
            self.new[relpath] = _with(self.new[relpath], at, (key, _rows(found)))
        return found

    def references(self, relpath: str, compute: Any) -> list[Reference]:
        """The ids one file refers to, as (target kind, on a key, path, id), in the order
        ``compute()`` gives them."""
        entry = self.new.get(relpath)
        if entry is not None and len(entry[9]):
            try:
                stored = marshal.loads(entry[9])
            except (ValueError, EOFError, TypeError):
                stored = None
            if type(stored) is list and _is_references(stored):
                return stored
        found: list[Reference] = compute()
        if entry is not None:
            self.new[relpath] = _with(entry, REFS, marshal.dumps(found))
        return found

    def findings(self, relpath: str, context: tuple[object, ...]) -> list[FindingRow] | None:
        """What the file-scoped rules found in one file when last run in ``context``."""
        entry = self.new.get(relpath)
        stored = entry[6] if entry is not None else None
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == context):
            return None
        rows = stored[1]
        return rows if type(rows) is list else None  # sealed with the index, see _read_pack

    def keep_findings(self, relpath: str, context: tuple[object, ...], rows: list[FindingRow]) -> None:
        entry = self.new.get(relpath)
        if entry is not None:
            self.new[relpath] = _with(entry, FINDINGS, (context, rows))

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
                _write(self.folder / (self.name + CHANGES), self.token, changes)
                return
            _write_pack(self.folder / self.name, os.urandom(8).hex(), self.new)
            (self.folder / (self.name + CHANGES)).unlink(missing_ok=True)
        except (OSError, ValueError):
            return


def _with(entry: Entry, index: int, value: Any) -> Entry:
    """The entry with ``value`` at ``index``."""
    changed: Entry = (*entry[:index], value, *entry[index + 1 :])
    return changed


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


def _seal(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


def _write(path: Path, token: str, contents: dict[str, Any], blobs: list[Blob] | None = None) -> None:
    """Write ``contents`` marshalled and sealed with a hash (after its length, when ``blobs``
    follow it), with the format, the stamp and the pack's ``token``, atomically."""
    body = marshal.dumps(contents)
    value = (FORMAT, stamp(), token, _seal(body), body)
    import tempfile  # slow to import, and only a check that changed something writes

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
    """A pack: the length of its index, the index (each file's entry with the places of its
    document and of its whole data among the blobs instead of the blobs), then the blobs.
    Reading it maps the file and unmarshals each document from its place, without copying
    the blobs first."""
    index: dict[str, list[Any]] = {rel: list(entry) for rel, entry in entries.items()}
    blobs: list[Blob] = []
    offset = 0
    for at in BLOBS:
        for rel, entry in entries.items():
            blob: Blob = entry[at]  # type: ignore[assignment]
            index[rel][at] = (offset, len(blob))
            blobs.append(blob)
            offset += len(blob)
    _write(path, token, {rel: tuple(entry) for rel, entry in index.items()}, blobs)


def _stat_key(path: FilePath, started: int) -> StatKey | None:
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


def _read_pack(path: Path, token: str | None) -> tuple[str, dict[str, Any]]:
    """The token and entries of a pack made by this very playbookgen, or none; with
    ``token``, of the changes written beside the pack of that token (an entry may be None
    there: a file gone). The index is sealed with a hash of its bytes: one that does not match
    (a damaged or truncated pack) is not used, and what a sealed index holds is what this
    module wrote, so only the documents' blobs (outside the seal) are looked at closely."""
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
        and len(pack) == 5
        and pack[0] == FORMAT
        and pack[1] == stamp()
        and isinstance(pack[2], str)
        and pack[2]
        and (token is None or pack[2] == token)
        and type(pack[3]) is bytes
        and type(pack[4]) is bytes
        and _seal(pack[4]) == pack[3]
    ):
        return "", {}
    try:
        index = marshal.loads(pack[4])
    except (ValueError, EOFError, TypeError):
        return "", {}
    if not isinstance(index, dict):
        return "", {}
    if token is not None:
        return pack[2], index  # sealed: the entries (None for a file gone) as they were written
    # Sealed too: each entry is one _write_pack laid out, its blobs' places where BLOBS says.
    entries: dict[str, Any] = {}
    try:
        for rel, (kind, key, digest, light, money, unknown, found, data, source, refs) in index.items():
            entries[rel] = (
                kind,
                key,
                digest,
                blobs[light[0] : light[0] + light[1]],
                money,
                unknown,
                found,
                blobs[data[0] : data[0] + data[1]],
                blobs[source[0] : source[0] + source[1]],
                blobs[refs[0] : refs[0] + refs[1]],
            )
    except (ValueError, TypeError, IndexError):
        return "", {}
    return pack[2], entries


def _mapped(path: Path) -> memoryview:
    """The file's bytes, mapped into memory (read as documents are unmarshalled)."""
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return memoryview(b"")
        return memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))


def _unpack(entry: Entry, path: FilePath, relpath: str, light: bool) -> Loaded:
    """A stored file's document and problems (with ``light``, a file of a folder with its
    projection for data); ValueError when what is stored is not what this module wrote."""
    value = marshal.loads(entry[3])
    if not (isinstance(value, tuple) and len(value) == 5):
        raise ValueError("not a stored file")
    ok, data, suppressions, rows, projected = value
    problems = _problems(rows) if rows != [] else []
    if not ok:
        return None, problems
    if not isinstance(suppressions, dict):
        raise ValueError("not a stored file")
    if projected:
        if not isinstance(data, dict):
            raise ValueError("not a stored file")
        if light:
            whole = functools.partial(_whole, entry[7], path, relpath)
            return _Stored(
                path, relpath, Projection(data, entry[0], relpath, whole), entry[8], suppressions
            ), problems
        data = marshal.loads(entry[7])
        if not isinstance(data, dict):
            raise ValueError("not a stored file")
    return Document(path, relpath, data, bytes(entry[8]), suppressions), problems


class _Stored(Document):
    """A document from the pack whose text (for positions) is copied out of the pack only
    when a position in it is asked for. Only for a light check: see
    :func:`playbookgen.check.check`."""

    def __init__(self, path: FilePath, relpath: str, data: Any, text: Blob, suppressions: Any) -> None:
        super().__init__(path, relpath, data, b"", suppressions)
        self._text = text

    def _positions(self) -> Any:
        if self._located is None and not self.source:
            self.source = bytes(self._text)
        return super()._positions()


def _whole(blob: Blob, path: FilePath, relpath: str) -> dict[str, Any]:
    """The whole data of a file of a folder, when its projection is not enough: from the
    pack, or (should that part of the pack be damaged) from the file again."""
    try:
        data = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        data = None
    if isinstance(data, dict):
        return data
    raw, _ = read_file(path, relpath)
    doc, _ = load_bytes(raw, path, relpath) if raw is not None else (None, [])
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}
