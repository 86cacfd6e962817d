"""Safe YAML loading that keeps the source position of every node.

PyYAML's constructors lose positions, silently keep the last of two duplicate keys, and
turn ``no`` into ``False`` or ``12:30`` into ``750``. This loader builds plain Python data
straight from libyaml's event stream (no recursion, so deep nesting cannot crash it),
records where each value and key starts, and reports every trap as a problem instead of
guessing. It never constructs anything but str, int, float, bool, None, list and dict.

(Longer than most modules: the event loop, the scalar rules and the position bookkeeping
share one state; the classic-mistake diagnoses live apart in :mod:`playbookgen.mistakes`.)
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import stat
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser as _Parser

from playbookgen.mistakes import SMART_OPEN, Mistake, classic_mistake, comma_mistake, scalar_mistakes
from playbookgen.problems import Problem

Key = str | int
JsonPath = tuple[Key, ...]
Position = tuple[int, int]
FilePath = str | os.PathLike[str]
"""A file's path as the operating system takes it: text or a :class:`~pathlib.Path`. The
files of a playbook's folders are found as text (making a ``Path`` of each of thousands of
files is a measurable part of a warm check)."""

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_TOO_DEEP = f"nests deeper than {MAX_DEPTH} levels; flatten this part"

# ' #' followed by a word: a comment that may have cut a text short ('Call us #1').
_HASH_IN_TEXT = re.compile(r" #[^\s#]")
_SUPPRESS = re.compile(r"#\s*playbookgen:\s*ignore\[([a-z0-9, -]+)\]\s*(.*)$")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_EXPLICIT_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}

_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_PLAIN_FLOAT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+([eE][-+]?[0-9]+)?$")
_EXPONENT_ONLY = re.compile(r"^[-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+$")
_BOOLEAN_WORDS = {"true": True, "false": False}

_RESOLVER = yaml.resolver.Resolver()
# First characters of every implicitly typed plain scalar in YAML 1.1 (bool, null, int,
# float, timestamp, merge, value) plus the start of '1e3'-like numbers.
_RESOLVED_FIRST = frozenset("yYnNtTfFoO~-+.0123456789<=")


@dataclass
class Document:
    """One loaded YAML file: its data and where every part of it came from.

    Positions are worked out only when a problem needs one, by reading the source again:
    most files of a playbook have no problem, and a table of every node's position would
    take several times the memory of the data itself."""

    path: FilePath
    relpath: str
    data: Any
    source: bytes = field(default=b"", repr=False)
    """The file's text, compressed: read again only to find a position."""
    suppressions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    _located: tuple[dict[JsonPath, Position], dict[JsonPath, Position]] | None = field(
        default=None, repr=False, compare=False
    )
    _written: dict[JsonPath, str] | None = field(default=None, repr=False, compare=False)

    def _positions(self) -> tuple[dict[JsonPath, Position], dict[JsonPath, Position]]:
        if self._located is None:
            builder = _Builder(self.relpath, track=True)
            with contextlib.suppress(_LoadError, yaml.YAMLError):  # it loaded once already
                builder.build(zlib.decompress(self.source).decode("utf-8") if self.source else "")
            self._located = (builder.positions, builder.key_positions)
            self._written = builder.written
        return self._located

    def written(self, path: JsonPath) -> str | None:
        """How the number at ``path`` is written in the file (``50.000`` where YAML reads
        50.0), or None when no number is written there."""
        self._positions()
        return (self._written or {}).get(tuple(path))

    def pos(self, path: JsonPath) -> Position:
        """Where the value at ``path`` starts, or its nearest ancestor when it is missing."""
        positions = self._positions()[0]
        path = tuple(path)
        while path:
            found = positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return positions.get((), (1, 1))

    def key_pos(self, path: JsonPath) -> Position:
        """Where the key holding the value at ``path`` starts (the value's own place for
        list items and the document root)."""
        path = tuple(path)
        found = self._positions()[1].get(path)
        return found if found is not None else self.pos(path)

    def problem(
        self, path: JsonPath, rule: str, message: str, *, key: bool = False, severity: str = "error"
    ) -> Problem:
        line, column = self.key_pos(path) if key else self.pos(path)
        return Problem(self.relpath, line, column, rule, severity, message)  # type: ignore[arg-type]


class _LoadError(Exception):
    def __init__(self, mark: Any, rule: str, message: str) -> None:
        super().__init__(message)
        self.position = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.rule = rule
        self.message = message


def load_file(path: FilePath, relpath: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file; on failure return ``None`` and the problems found."""
    raw, problems = read_file(path, relpath)
    if raw is None:
        return None, problems
    return load_bytes(raw, path, relpath)


def read_file(path: FilePath, relpath: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one playbook file, or ``None`` and the problem that keeps it from being read."""
    path = Path(path)  # only files that changed are read: this costs a warm check nothing
    try:
        found = os.lstat(path)
    except OSError:
        found = None
    if found is not None and stat.S_ISREG(found.st_mode) and found.st_size <= MAX_FILE_BYTES:
        try:  # the usual case, in one look at the file instead of four
            return path.read_bytes(), []
        except OSError:
            pass
    try:
        if path.is_symlink() or not path.is_file():
            kind = "a folder" if path.is_dir() else "not a regular file"
            return None, [
                Problem(
                    relpath,
                    1,
                    1,
                    "file-unreadable",
                    "error",
                    f"is {kind}; a playbook entry must be a .yaml file",
                )
            ]
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    relpath,
                    1,
                    1,
                    "file-too-large",
                    "error",
                    f"is {size / 1048576:.1f} MiB; playbook files may be at most "
                    f"{MAX_FILE_BYTES // 1048576} MiB — split it into one file per item",
                )
            ]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [
            Problem(
                relpath,
                1,
                1,
                "file-unreadable",
                "error",
                f"cannot be read ({exc.strerror or exc}); check the file's permissions",
            )
        ]


def load_bytes(raw: bytes, path: FilePath, relpath: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML bytes; see :func:`load_file`."""
    text, problem = _decode(raw, relpath)
    if problem is not None:
        return None, [problem]
    if not unicodedata.is_normalized("NFC", text):
        # Some keyboards (Vietnamese ones among them) type a letter and its accents as
        # separate code points: compose them, so every output, search and comparison sees
        # one spelling of each word. Positions count the composed characters, as editors show.
        text = unicodedata.normalize("NFC", text)
    builder = _Builder(relpath)
    try:
        data = builder.build(text)
    except _LoadError as exc:
        line, column = exc.position
        return None, [*builder.problems, Problem(relpath, line, column, exc.rule, "error", exc.message)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        line, column, message = _forbidden_character(text, exc)
        return None, [*builder.problems, Problem(relpath, line, column, "file-encoding", "error", message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark
            line, column = mark.line + 1, mark.column + 1
            message = _quoted_message(exc, text)
            return None, [Problem(relpath, line, column, "yaml-syntax", "error", message)]
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, met before ours
            return None, [Problem(relpath, line, column, "yaml-too-deep", "error", _TOO_DEEP)]
        mistake = classic_mistake(exc, text)
        if mistake is not None:
            return None, [Problem(relpath, *mistake)]
        return None, [
            Problem(relpath, line, column, "yaml-syntax", "error", _syntax_message(exc, text, mark))
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(relpath, 1, 1, "yaml-syntax", "error", f"is not valid YAML: {exc}")]
    if any(p.severity == "error" for p in builder.problems):
        return None, builder.problems
    source = zlib.compress(text.encode("utf-8"), 1)
    doc = Document(path, relpath, data, source, _suppressions(text))
    return doc, builder.problems


def _decode(raw: bytes, relpath: str) -> tuple[str, Problem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(raw):
        return "", Problem(relpath, 1, 1, "file-encoding", "error", "is saved as UTF-16; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        start = exc.start
        before = raw[:start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return "", Problem(
            relpath,
            line,
            column,
            "file-encoding",
            "error",
            f"is not UTF-8 text (byte 0x{raw[start]:02X} here); save the file as UTF-8",
        )


def _utf16_without_bom(raw: bytes) -> bool:
    """UTF-16 saved without a byte order mark: the file starts with plain (ASCII) characters,
    each with a zero byte before or after it."""
    head = raw[: min(len(raw), 16) // 2 * 2]
    if not head:
        return False
    even, odd = head[0::2], head[1::2]
    return (all(even) and not any(odd)) or (all(odd) and not any(even))


def _forbidden_character(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """Where the character libyaml refused is, as line, column and a one-line message.

    libyaml counts the position in bytes of the UTF-8 text, PyYAML's own reader in
    characters; the character's first place in the text is the fallback."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    position = exc.position
    encoded = text.encode("utf-8")
    if encoded[position : position + len(character.encode("utf-8"))] == character.encode("utf-8"):
        index = len(encoded[:position].decode("utf-8", "replace"))
    elif text[position : position + 1] == character:
        index = position
    else:
        index = max(text.find(character), 0)
    before = text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    code = ord(character)
    kind = "a control character" if code < 0x20 or 0x7F <= code <= 0x9F else "the character"
    message = (
        f"{kind} (U+{code:04X}) is here; YAML files cannot contain it — delete it "
        "(editors often show it as a box, or not at all)"
    )
    return line, column, message


_ESCAPE = re.compile(r"\\(?:([xuU])([^\s\"\\]{0,8})|.)")
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}


def _quoted_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What is wrong in a quoted text, said at the place the text starts."""
    unclosed = "the quoted text that starts here is never closed; add the closing quote"
    problem = exc.problem or ""
    mark = exc.problem_mark
    lines = text.splitlines()  # the line breaks YAML knows, as in the mark
    if ("escape" not in problem and "hexdecimal" not in problem) or mark is None or mark.line >= len(lines):
        return unclosed
    line = lines[mark.line]
    found = _ESCAPE.match(line, max(line.rfind("\\", 0, mark.column + 1), 0))
    if found is None:  # a backslash at the very end of the file
        return unclosed
    letter, digits = found.group(1), _ESCAPE_DIGITS.get(found.group(1) or "", 0)
    escape = found.group(0) if letter is None else "\\" + letter + found.group(2)[:digits]
    if "invalid Unicode" in problem:
        what = "is not a valid character"
    elif "hexdecimal" in problem:
        what = f"needs {digits} hexadecimal digits"
    else:
        what = "is not an escape YAML knows"
    return (
        f"the quoted text that starts here has '{escape}', which {what}; in double quotes a "
        "backslash starts an escape — write the character itself, write \\\\ for a backslash, "
        "or use single quotes"
    )


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = (exc.problem or str(exc)).strip()
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return "a tab character is used for indentation; YAML needs spaces — replace tabs with spaces"
    hint = "check the indentation and quotes on this line and the one above"
    context = f" ({exc.context})" if exc.context else ""
    return f"is not valid YAML: {problem}{context}; {hint}"


def _suppressions(text: str) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    if "playbookgen:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUPPRESS.search(line)
        if match:
            reason = match.group(2).strip()
            for rule in match.group(1).split(","):
                found.setdefault(number, []).append((rule.strip(), reason))
    return found


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    value: Any
    path: JsonPath
    anchor: str | None
    mark: Any = None
    size: int = 1
    pending_key: Any = None
    pending_key_mark: Any = None
    has_key: bool = False
    flow: bool = False
    key_marks: dict[str, Any] = field(default_factory=dict)
    merges: list[tuple[Any, Any]] = field(default_factory=list)


class _Builder:
    """Builds data from parser events; keeps positions; raises _LoadError on a trap."""

    def __init__(self, relpath: str, *, track: bool = False) -> None:
        self.relpath = relpath
        self.track = track
        """Record the position of every value and key (slower; only when one is asked for)."""
        self.positions: dict[JsonPath, Position] = {}
        self.key_positions: dict[JsonPath, Position] = {}
        self.written: dict[JsonPath, str] = {}
        """The source text of every number, by path (only when tracking)."""
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.problems: list[Problem] = []
        self.total = 0
        self._text = ""
        self._lines: list[str] | None = None
        self._checking = False

    @property
    def lines(self) -> list[str]:
        """The source split into lines, made only when a possible mistake needs it."""
        if self._lines is None:
            self._lines = self._text.splitlines()
        return self._lines

    def _mistake(self, found: Mistake | None) -> None:
        if found is not None:
            self.problems.append(Problem(self.relpath, *found))

    def _scalar_looked_at(self, event: Any, stack: list[_Frame]) -> Any:
        """:meth:`_scalar`, and every plain text looked at for the classic mistakes."""
        value = self._scalar(event, stack)
        if not event.style and type(value) is str and value:
            self._look(event, stack)
        return value

    def _look(self, event: Any, stack: list[_Frame]) -> None:
        """Check a plain text that may hold one of the classic mistakes (see :mod:`mistakes`)."""
        flow = bool(stack) and stack[-1].flow
        for found in scalar_mistakes(event, self.lines, flow):
            self._mistake(found)

    def build(self, text: str) -> Any:
        stack: list[_Frame] = []
        result: Any = None
        documents = 0
        self._text, self._lines = text, None
        # A second reading, for positions, reports nothing. Texts are looked at for the classic
        # mistakes only when they hold a ':' or ' - ' (see _scalar), unless the file has ' #'
        # before a word or typographic quotes: then every text is (both are rare).
        thorough = not self.track and (
            (" #" in text and _HASH_IN_TEXT.search(text) is not None)
            or any(quote in text for quote in SMART_OPEN)
        )
        self._checking = not self.track and not thorough
        scalar_of = self._scalar_looked_at if thorough else self._scalar
        parser = _Parser(text)
        scalar_event, end_events = yaml.ScalarEvent, (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        try:
            while True:
                event: Any = parser.get_event()
                kind = type(event)
                if kind is scalar_event:
                    value, size, mark = scalar_of(event, stack), 1, event.start_mark
                    if self.track and type(value) in (int, float) and stack:
                        parent = stack[-1]
                        if parent.kind == "seq" or parent.has_key:
                            self.written[self._child_path(stack)] = event.value
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1)
                    self.total += 1
                    if self.total > MAX_NODES:
                        raise self._too_large(mark, "this file")
                elif kind in end_events:
                    frame = stack.pop()
                    if frame.merges:
                        self._apply_merges(frame)
                    if frame.anchor:
                        self.open_anchors.discard(frame.anchor)
                        self.anchors[frame.anchor] = (frame.value, frame.size)
                    value, size, mark = frame.value, frame.size, frame.mark
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    stack.append(self._open(event, stack))
                    continue
                elif kind is yaml.AliasEvent:
                    value, size = self._alias(event)
                    mark = event.start_mark
                    self.total += size
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _LoadError(
                            event.start_mark,
                            "yaml-multiple-documents",
                            "a second YAML document starts here (---); a playbook "
                            "file holds one document — move this part to its own file",
                        )
                    continue
                elif event is None or kind is yaml.StreamEndEvent:
                    break
                else:  # stream start, document end
                    continue
                if stack:
                    self._add(stack[-1], value, size, mark)
                else:
                    result = value
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        return result

    def _open(self, event: Any, stack: list[_Frame]) -> _Frame:
        """A frame for a mapping or list that starts at ``event``."""
        if len(stack) >= MAX_DEPTH:
            raise _LoadError(event.start_mark, "yaml-too-deep", _TOO_DEEP)
        mapping = type(event) is yaml.MappingStartEvent
        if event.tag is not None:
            self._check_tag(event, _MAP if mapping else _SEQ)
        if stack and stack[-1].kind == "map" and not stack[-1].has_key:
            raise _complex_key(event.start_mark)
        path = self._child_path(stack) if self.track else ()
        if self.track:
            self.positions[path] = _pos(event.start_mark)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        flow = bool(event.flow_style)
        if mapping:
            return _Frame("map", {}, path, event.anchor, event.start_mark, flow=flow)
        return _Frame("seq", [], path, event.anchor, event.start_mark, flow=flow)

    def _child_path(self, stack: list[_Frame]) -> JsonPath:
        if not stack:
            return ()
        parent = stack[-1]
        if parent.kind == "seq":
            return (*parent.path, len(parent.value))
        return (*parent.path, parent.pending_key)

    def _add(self, frame: _Frame, value: Any, size: int, mark: Any) -> None:
        frame.size += size
        if frame.kind == "seq":
            if self.track:
                self.positions[(*frame.path, len(frame.value))] = _pos(mark)
            frame.value.append(value)
            return
        if not frame.has_key:
            if isinstance(value, _MergeKey):
                frame.pending_key, frame.has_key, frame.pending_key_mark = value, True, mark
                return
            if isinstance(value, (dict, list)):
                raise _complex_key(mark)
            key = sys.intern(_key_text(value))  # keys repeat in every file: keep one copy
            if key in frame.value or key in frame.key_marks:
                first = frame.key_marks.get(key)
                where = f" (first on line {first.line + 1})" if first is not None else ""
                line, column = _pos(mark)
                self.problems.append(
                    Problem(
                        self.relpath,
                        line,
                        column,
                        "yaml-duplicate-key",
                        "error",
                        f"the key '{key}' appears twice in this mapping{where}; YAML would "
                        "silently keep only the last one — remove or rename one of them",
                    )
                )
            frame.pending_key, frame.pending_key_mark, frame.has_key = key, mark, True
            frame.key_marks[key] = mark
            if self.track:
                self.key_positions[(*frame.path, key)] = _pos(mark)
            return
        key = frame.pending_key
        frame.has_key = False
        if isinstance(key, _MergeKey):
            frame.merges.append((value, frame.pending_key_mark))
            return
        if self.track:
            self.positions[(*frame.path, key)] = _pos(mark)
        frame.value[key] = value

    def _apply_merges(self, frame: _Frame) -> None:
        for value, mark in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    raise _LoadError(
                        mark, "yaml-merge", "'<<' must be followed by a mapping or a list of mappings"
                    )
                for key, item in source.items():
                    if key not in frame.value:
                        frame.value[key] = copy.deepcopy(item)
                        if self.track:
                            self.positions[(*frame.path, key)] = _pos(mark)
                            self.key_positions[(*frame.path, key)] = _pos(mark)

    def _alias(self, event: yaml.AliasEvent) -> tuple[Any, int]:
        name = event.anchor
        if name in self.open_anchors:
            raise _LoadError(
                event.start_mark,
                "yaml-recursive-alias",
                f"the alias *{name} refers to the mapping or list that contains it; "
                "a playbook cannot be infinitely deep — write the data out",
            )
        if name not in self.anchors:
            raise _LoadError(
                event.start_mark, "yaml-syntax", f"the alias *{name} has no anchor &{name} before it"
            )
        value, size = self.anchors[name]
        if self.total + size > MAX_NODES:
            raise self._too_large(event.start_mark, f"the alias *{name}")
        return copy.deepcopy(value), size

    def _too_large(self, mark: Any, what: str) -> _LoadError:
        return _LoadError(
            mark,
            "yaml-too-large",
            f"{what} expands to more than {MAX_NODES:,} values (aliases that repeat aliases?); "
            "write the data out plainly, or split it into one file per item",
        )

    def _trap(self, mark: Any, value: str, reading: str, fix: str) -> str:
        """Report a value YAML readers disagree on, and keep it as text so loading goes on."""
        line, column = _pos(mark)
        self.problems.append(
            Problem(
                self.relpath, line, column, "yaml-ambiguous-value", "error", f"'{value}' is {reading}; {fix}"
            )
        )
        return value

    def _base60(self, mark: Any, value: str) -> str:
        return self._trap(
            mark,
            value,
            "read as a base-60 number by YAML 1.1 tools",
            f"quote it ('{value}') if you mean a time or text",
        )

    def _check_tag(self, event: Any, default: str) -> None:
        tag = event.tag
        if tag is None or tag in ("!", default):
            return
        raise _LoadError(
            event.start_mark,
            "yaml-tag",
            f"the tag {_short_tag(tag)} is not allowed in a playbook; remove it (playbookgen only "
            "reads plain text, numbers, true/false, lists and mappings)",
        )

    def _scalar(self, event: yaml.ScalarEvent, stack: list[_Frame]) -> Any:
        value: str = event.value
        plain = event.style in (None, "")
        tag = event.tag
        if tag is not None and tag != "!":
            if tag not in _EXPLICIT_SCALAR_TAGS:
                self._check_tag(event, _STR)
            if tag == _STR:
                return value
        elif not plain:
            return value
        elif value and value[0] not in _RESOLVED_FIRST:
            # Plain text: no implicit type starts with this character. Most classic mistakes
            # leave a ':' or ' - ' in a text (or a '-' first, which is not read here).
            if (":" in value or " - " in value) and self._checking:
                self._look(event, stack)
            return value
        else:
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if tag == _MERGE:
            if stack and stack[-1].kind == "map" and not stack[-1].has_key:
                return _MergeKey()
            return value
        if tag == _STR:
            if plain and (value[0] == "-" or ":" in value or " - " in value) and self._checking:
                self._look(event, stack)
            if plain and _EXPONENT_ONLY.match(value):
                return self._trap(
                    mark,
                    value,
                    "a number in some YAML readers and text in others",
                    f"write it out ({_plain_number(value)}) or quote it",
                )
            return value
        if tag == _NULL:
            frame = stack[-1] if stack else None
            if not value and frame is not None and frame.flow and frame.has_key and not self.track:
                # An empty value in a {…} mapping: a key with no colon, split off by a comma?
                self._mistake(comma_mistake(frame.pending_key, frame.pending_key_mark, mark, self.lines))
            return None
        if tag == _BOOL:
            lowered = value.lower()
            if lowered in _BOOLEAN_WORDS:
                return _BOOLEAN_WORDS[lowered]
            return self._trap(
                mark,
                value,
                f"read as {str(lowered in ('yes', 'on', 'y')).lower()} (true/false) by YAML 1.1 tools",
                f"write true or false, or quote it ('{value}') if you mean the text",
            )
        if tag == _INT:
            if _DECIMAL.match(value.replace("_", "")) and "_" not in value:
                return int(value)
            if _HEX.match(value):
                return int(value, 16)
            if ":" in value:
                return self._base60(mark, value)
            return self._trap(
                mark,
                value,
                "read differently by YAML 1.1 and 1.2 tools (octal, binary or digit separators)",
                "write a plain decimal number, or quote it if you mean text",
            )
        if tag == _FLOAT:
            if _PLAIN_FLOAT.match(value):
                return float(value)
            if ":" in value:
                return self._base60(mark, value)
            return self._trap(
                mark,
                value,
                "not a plain decimal number (infinity, NaN or an unusual form)",
                "write a plain decimal number such as 12.5, or quote it if you mean text",
            )
        if tag == _TIMESTAMP:
            # Kept as the ISO text it is; schemas check dates and date-times by pattern.
            return value
        return value  # pragma: no cover - the resolver knows no other tags


class _MergeKey:
    """Marks a ``<<`` merge key while its mapping is being built."""


def _plain_number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else repr(number)


def _key_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _complex_key(mark: Any) -> _LoadError:
    return _LoadError(mark, "yaml-complex-key", "a list or mapping is used as a key; keys must be plain text")


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag
