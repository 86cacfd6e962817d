"""``playbookgen fmt``: one canonical layout for every playbook file.

Block mappings and lists everywhere (so a comma in a label can never split it), keys in
the order of the schema's ``properties``, two-space indentation, quotes only where YAML
needs them (double quotes, or single quotes for text that holds a double quote), and long
text folded with ``>-``. Comments stay with the line they were on or the item they were
above; the schema modeline stays first. A flow collection carrying a ``# playbookgen:
ignore[...]`` comment keeps its one-line form, so the comment still covers every value on
that line. The result is read back with playbookgen's own loader and written only when
every value is unchanged.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from playbookgen import kinds
from playbookgen.loader import load_bytes
from playbookgen.mistakes import looks_mistaken
from playbookgen.model import discover
from playbookgen.problems import Problem
from playbookgen.schema import load_schema

WIDTH = 100
"""Longest line fmt writes where it can choose: longer text is folded onto more lines."""

_MODELINE = re.compile(r"yaml-language-server:\s*\$schema=\S*?([a-z]+)\.schema\.json")
_SUPPRESSION = re.compile(r"#\s*playbookgen:\s*ignore\[")
# Plain text that PyYAML's YAML 1.1 resolver would read as something else (or that the
# loader reports as a trap) must be quoted: ruamel.yaml only knows YAML 1.2's rules.
_RESOLVER = yaml.resolver.Resolver()
_EXPONENT_ONLY = re.compile(r"^[-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+$")
_STR = "tag:yaml.org,2002:str"
# A '---' after the leading comments: dropped, so the comments above it (the modeline) stay
# with the document instead of being lost by ruamel.yaml.
_DOCUMENT_START = re.compile(r"\A((?:[ \t]*(?:#[^\n]*)?\n)*)---[ \t]*(?:#[^\n]*)?\n")
# Times, dates, versions and phone numbers stay quoted even where YAML would read them as
# text ("08:00"), so that copying one and typing "12:30" cannot turn it into a number.
_NUMBER_LIKE = re.compile(r"^[-+.]?[0-9]")


class FmtError(Exception):
    """A file fmt cannot rewrite safely; the message says why, for a CS leader."""


@dataclass
class FmtResult:
    """What fmt did (or, with ``check``, would do) to each file under a path."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_path(path: Path, *, check: bool = False) -> FmtResult:
    """Format a playbook folder or one YAML file; with ``check``, only report what would change."""
    result = FmtResult()
    for file, relpath, kind in _files(path):
        try:
            original = file.read_bytes()
        except OSError as exc:
            result.problems.append(
                Problem(relpath, 1, 1, "file-unreadable", "error", f"cannot be read ({exc.strerror or exc})")
            )
            continue
        try:
            formatted = format_text(original.decode("utf-8-sig"), kind, relpath)
        except UnicodeDecodeError:
            _doc, problems = load_bytes(original, file, relpath)
            result.problems.extend(problems)
            continue
        except FmtError as exc:
            result.problems.extend(exc.args[0])
            continue
        if formatted.encode("utf-8") == original:
            result.unchanged.append(relpath)
            continue
        result.changed.append(relpath)
        if not check:
            file.write_text(formatted, encoding="utf-8")
    return result


def _files(path: Path) -> Iterator[tuple[Path, str, str | None]]:
    """The YAML files under ``path`` (or the one file) as (path, shown path, kind)."""
    if path.is_file():
        try:
            head = path.read_bytes()[:500].decode("utf-8", "replace")
        except OSError:
            head = ""  # reported when the file itself is read
        yield path, path.name, _kind_of(path, head)
        return
    found, _stray = discover(path)
    for file, relpath, kind in found:
        yield Path(file), relpath, kind


def _kind_of(path: Path, text: str) -> str | None:
    """The kind of a file given on its own: from its name or folder, else its modeline."""
    single = kinds.files().get(path.name)
    if single is not None:
        return single.name
    folder = kinds.folders().get(path.parent.name)
    if folder is not None:
        return folder.name
    match = _MODELINE.search(text)
    return match.group(1) if match else None


def format_text(text: str, kind: str | None, relpath: str = "x.yaml") -> str:
    """The canonical layout of one file's text; raises :class:`FmtError` with the problems
    that stop it (the file does not load, or formatting would change a value). Decomposed
    accents (NFD) are composed (NFC), as the loader reads them."""
    text = unicodedata.normalize("NFC", text)
    before, problems = load_bytes(text.encode("utf-8"), Path(relpath), relpath)
    if before is None:
        raise FmtError(problems)
    if before.data is None:
        return text  # empty, or only comments: nothing to lay out
    if _ANCHOR.search(text) and _uses_anchors(text):
        raise FmtError(
            [
                Problem(
                    relpath,
                    1,
                    1,
                    "fmt-unsafe",
                    "error",
                    "uses anchors (&name) and aliases (*name), which fmt does not rewrite; it is "
                    "left as it is — write the repeated values out to let fmt lay it out",
                )
            ]
        )
    for fold in (True, False):  # folding is the only step that could change a value's spaces
        try:
            formatted = _format(text, kind, fold=fold)
        except Exception:  # whatever ruamel.yaml trips on, the file is left alone
            break
        after, _problems = load_bytes(formatted.encode("utf-8"), Path(relpath), relpath)
        if after is not None and after.data == before.data:
            return formatted
    raise FmtError(
        [
            Problem(
                relpath,
                1,
                1,
                "fmt-unsafe",
                "error",
                "cannot be reformatted without changing a value; it is left as it is — "
                "please report this file to the playbookgen maintainers",
            )
        ]
    )


_ANCHOR = re.compile(r"[&*][^\s,\]}]")


def _uses_anchors(text: str) -> bool:
    """True when the parser sees an anchor or an alias (an '&' or '*' in text is no anchor)."""
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if getattr(event, "anchor", None) is not None:
            return True
    return False


def _yaml() -> YAML:
    """A round-trip reader and writer set to the canonical indentation."""
    handler = YAML()
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.width = 100_000  # fmt folds long text itself, only where folding is exact
    handler.allow_unicode = True
    handler.preserve_quotes = False
    return handler


def _format(text: str, kind: str | None, *, fold: bool) -> str:
    """``text`` rewritten in the canonical layout, unchecked (see :func:`format_text`)."""
    handler = _yaml()
    text = _DOCUMENT_START.sub(r"\1", text, count=1)
    root = handler.load(text)
    if not isinstance(root, (CommentedMap, CommentedSeq)):
        return text if text.endswith("\n") else text + "\n"
    comments = _Comments(text.splitlines())
    comments.collect(root)
    schema = load_schema(kind) if kind else {}
    _reshape(root, schema, comments, fold=fold, column=0)
    comments.attach(root)
    out = io.StringIO()
    handler.dump(root, out)
    return out.getvalue()


# --- values ---------------------------------------------------------------------------


def _entries(node: Any) -> list[Any]:
    return list(node.keys()) if isinstance(node, CommentedMap) else list(range(len(node)))


def _reshape(node: Any, schema: dict[str, Any], comments: _Comments, *, fold: bool, column: int) -> None:
    """Block style, schema key order and canonical scalars, from ``node`` down; ``column``
    is where its keys (or its dashes) start."""
    if comments.keeps_flow(node):
        return
    node.fa.set_block_style()
    if isinstance(node, CommentedMap):
        properties = schema.get("properties", {})
        _reorder(node, list(properties))
        extra = schema.get("additionalProperties")
        for key in list(node.keys()):
            child_schema = properties.get(key, extra if isinstance(extra, dict) else {})
            start = column + len(str(key)) + 2
            node[key] = _child(node[key], child_schema, comments, (node, key), fold, column, start)
    else:
        items = schema.get("items")
        item_schema = items if isinstance(items, dict) else {}
        for index in range(len(node)):
            node[index] = _child(node[index], item_schema, comments, (node, index), fold, column, column + 2)


def _child(
    value: Any, schema: dict[str, Any], comments: _Comments, entry: Entry, fold: bool, column: int, start: int
) -> Any:
    if isinstance(value, (CommentedMap, CommentedSeq)):
        _reshape(value, schema, comments, fold=fold, column=column + 2)
    elif isinstance(value, str):
        return _scalar(value, start, column + 2, fold and not comments.has_eol(entry))
    return value


def _reorder(node: CommentedMap, order: list[str]) -> None:
    """Put the keys of ``node`` in schema order; keys the schema does not know go last."""
    rank = {key: index for index, key in enumerate(order)}
    keys = list(node.keys())
    wanted = sorted(keys, key=lambda k: (rank.get(str(k), len(rank)), keys.index(k)))
    if wanted != keys:
        for key in wanted:
            node.move_to_end(key)


_EMITTER = Emitter(io.StringIO(), allow_unicode=True)
_EMITTER.use_version = None  # type: ignore[attr-defined]  # asked by analyze_scalar; no directive


def _scalar(value: str, start: int, indent: int, fold: bool) -> Any:
    """The canonical form of a text value written from column ``start`` (or, folded, on
    lines of its own indented to ``indent``)."""
    text = str(value)
    if "\n" in text.rstrip("\n") or (isinstance(value, LiteralScalarString) and text.endswith("\n")):
        return LiteralScalarString(text)
    line = text[:-1] if text.endswith("\n") and not text.endswith("\n\n") else text
    analysis = _EMITTER.analyze_scalar(line)
    if fold and analysis.allow_block and line.strip() == line and line:
        if isinstance(value, FoldedScalarString) and _fits(value, indent):
            return value  # the editor's own line breaks, kept while they fit
        if start + len(text) > WIDTH or line != text:
            breaks = _fold_positions(line, WIDTH - indent)
            if breaks or line != text:
                folded = FoldedScalarString(text)
                folded.fold_pos = breaks
                return folded
    if not text or not analysis.allow_block_plain or not _plain_is_text(text):
        return _quoted(text)
    return text


def _fold_positions(text: str, width: int) -> list[int]:
    """Where to break ``text`` into lines of at most ``width``: only at a single space
    between two words, the one place where folding gives back exactly the same text."""
    breaks: list[int] = []
    line_start = 0
    last_space = -1
    for index, character in enumerate(text):
        if (
            character == " "
            and 0 < index < len(text) - 1
            and text[index - 1] != " "
            and text[index + 1] != " "
        ):
            if index - line_start > width and last_space > line_start:
                breaks.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > width and last_space > line_start:
        breaks.append(last_space)
    return breaks


def _fits(value: FoldedScalarString, indent: int) -> bool:
    bounds = [-1, *getattr(value, "fold_pos", []), len(value)]
    return all(indent + end - start - 1 <= WIDTH for start, end in itertools.pairwise(bounds))


def _plain_is_text(text: str) -> bool:
    """True when PyYAML (YAML 1.1) and playbookgen's loader read ``text`` unquoted as this text."""
    if _EXPONENT_ONLY.match(text) or _NUMBER_LIKE.match(text) or looks_mistaken(text):
        return False
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR)


def _quoted(text: str) -> Any:
    """Double quotes; single ones for text with a double quote in it, to spare the backslashes."""
    if '"' in text and "'" not in text and "\\" not in text and text.isprintable():
        return SingleQuotedScalarString(text)
    return DoubleQuotedScalarString(text)


# --- comments -------------------------------------------------------------------------

Entry = tuple[Any, Any]
"""A place in the tree: (mapping, key) or (list, index)."""


class _Comments:
    """Every comment and blank line of a file, tied to the item it belongs to.

    ruamel.yaml keeps a comment with whatever came before it; fmt reorders keys, so each
    full-line comment is instead tied to the item that follows it, and an end-of-line
    comment to the first item on its line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.before: dict[str, list[str]] = {}
        """Comment and blank lines above an item (by ``_key``): they move with it."""
        self.starts: dict[int, list[str]] = {}
        """Lines above the first item of a mapping or list (by its id): they stay at its start."""
        self.end: list[str] = []
        """Lines after the last item of the file."""
        self.flow_kept: set[int] = set()
        """Flow collections (by id) that keep their one line for the suppression on it."""
        self._eol_by_key: dict[str, str] = {}
        self._parents: dict[int, Entry] = {}

    # collecting

    def collect(self, root: Any) -> None:
        """Take every comment out of the tree, noting which item each belongs to."""
        order: list[tuple[int, Entry, Any]] = []  # (line, entry, container) in document order
        tokens: dict[int, CommentToken] = {}
        self._walk(root, order, tokens)
        order.sort(key=lambda item: item[0])
        lines = [entry_line for entry_line, _entry, _parent in order]
        for token in sorted(tokens.values(), key=lambda t: t.start_mark.line):
            value: str = token.value
            line = token.start_mark.line
            parts = value.split("\n")
            if parts and parts[-1] == "":
                parts.pop()
            cursor = max(line - len(parts) - 1, 0)
            if value.startswith("\n"):
                parts = parts[1:]
            elif parts and self._is_eol(line, token.column):
                self._end_of_line(parts.pop(0).strip(), line, order, lines)
                cursor = line + 1
            for text, where in self._placed(parts, cursor, line):
                after = bisect.bisect_right(lines, where)
                if after >= len(order):
                    self.end.append(text)
                    continue
                entry = order[after][1]
                if _first_in(entry):
                    self.starts.setdefault(id(entry[0]), []).append(text)
                else:
                    self.before.setdefault(_key(entry), []).append(text)

    def _placed(self, parts: list[str], cursor: int, line: int) -> Iterator[tuple[str, int]]:
        """Each comment line of a token with the source line it is on. ruamel.yaml counts
        a token's line inconsistently when it starts with blank lines, so each comment is
        looked up in the source from ``cursor`` on; a blank line goes with the comment after it."""
        blanks = 0
        last = line - 1  # blank lines with no comment after them: where the token is
        for part in parts:
            text = part.strip()
            if not text:
                blanks += 1
                continue
            found = next((n for n in range(cursor, len(self.lines)) if self.lines[n].strip() == text), cursor)
            for _ in range(blanks):
                yield "", found
            blanks = 0
            yield text, found
            cursor = last = found
        for _ in range(blanks):
            yield "", last + 1

    def _end_of_line(
        self, text: str, line: int, order: list[tuple[int, Entry, Any]], lines: list[int]
    ) -> None:
        """Tie an end-of-line comment to the first item on its line (or the last one before)."""
        at = bisect.bisect_left(lines, line)
        if at < len(lines) and lines[at] == line:
            target = order[at][1]
        else:
            target = order[max(bisect.bisect_right(lines, line) - 1, 0)][1]
        self._eol_by_key[_key(target)] = text
        if _SUPPRESSION.search(text):
            container = target[0]
            for node in (container[target[1]], container):
                if isinstance(node, (CommentedMap, CommentedSeq)) and node.fa.flow_style():
                    self.flow_kept.add(id(node))
                    break

    def _is_eol(self, line: int, column: int) -> bool:
        return line < len(self.lines) and self.lines[line][:column].strip() != ""

    def _walk(self, node: Any, order: list[tuple[int, Entry, Any]], tokens: dict[int, CommentToken]) -> None:
        for token in _tokens(node.ca):
            tokens[id(token)] = token
        node.ca.comment = None
        node.ca.items.clear()
        for entry in _entries(node):
            line = node.lc.key(entry)[0] if isinstance(node, CommentedMap) else node.lc.item(entry)[0]
            order.append((line, (node, entry), node))
            child = node[entry]
            if isinstance(child, (CommentedMap, CommentedSeq)):
                self._parents[id(child)] = (node, entry)
                self._walk(child, order, tokens)

    # questions asked while reshaping

    def has_eol(self, entry: Entry) -> bool:
        return _key(entry) in self._eol_by_key

    def keeps_flow(self, node: Any) -> bool:
        return id(node) in self.flow_kept

    # attaching

    def attach(self, root: Any) -> None:
        """Put every comment back, after the tree has been reshaped."""
        self._attach(root, None, 0)
        end = self._block(self.end, 0).rstrip("\n")
        if end and len(root):
            self._after((root, _entries(root)[-1]), end + "\n")

    def _attach(self, node: Any, parent: Entry | None, column: int) -> None:
        entries = _entries(node)
        flow = self.keeps_flow(node)
        item_column = column + 2 if isinstance(node, CommentedSeq) else column
        for index, entry in enumerate(entries):
            here = (node, entry)
            lines = self.starts.get(id(node), []) if index == 0 else []
            lines = lines + self.before.get(_key(here), [])
            if lines and not flow:
                text = self._block(lines, column, start=index == 0 and parent is not None)
                if index == 0:
                    self._before_container(node, parent, text)
                else:
                    self._after((node, entries[index - 1]), text)
            eol = self._eol_by_key.get(_key(here))
            if eol is not None:
                self._set_eol(here, eol)
            child = node[entry]
            if isinstance(child, (CommentedMap, CommentedSeq)):
                self._attach(child, here, item_column if isinstance(node, CommentedSeq) else column + 2)

    def _block(self, lines: list[str], column: int, *, start: bool = False) -> str:
        """Comment lines at ``column``. Runs of blank lines become one, and none is kept at
        the start of a mapping or list (``start``)."""
        kept: list[str] = []
        for line in lines:
            if line or (kept and kept[-1]) or (not kept and not start):
                kept.append(" " * column + line if line else "")
        return "".join(line + "\n" for line in kept)

    def _before_container(self, node: Any, parent: Entry | None, text: str) -> None:
        if not text:
            return
        if parent is None:
            node.ca.comment = [None, [CommentToken(text, CommentMark(0), None)]]
            return
        container, entry = parent
        if isinstance(container, CommentedSeq) and isinstance(node, CommentedMap):
            # A mapping in a list starts on its dash's line: the comment goes above the dash.
            index = entry
            if index == 0:
                grand = self._parent_of(container)
                self._before_container(container, grand, text)
            else:
                self._after((container, index - 1), text)
            return
        self._append(container, entry, "\n" + text)

    def _parent_of(self, node: Any) -> Entry | None:
        return self._parents.get(id(node))

    def _after(self, entry: Entry, text: str) -> None:
        """Put lines after everything ``entry`` holds."""
        if not text:
            return
        container, key = entry
        value = container[key]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not self.keeps_flow(value):
            last = _entries(value)[-1]
            self._after((value, last), text)
            return
        block = isinstance(value, (FoldedScalarString, LiteralScalarString))
        self._append(container, key, text if block else "\n" + text)

    def _append(self, container: Any, key: Any, text: str) -> None:
        slot = 2 if isinstance(container, CommentedMap) else 0
        items = container.ca.items.setdefault(key, [None, None, None, None])
        token = items[slot]
        if token is None:
            items[slot] = CommentToken(text, CommentMark(0), None)
        else:
            token.value = (
                token.value + text.lstrip("\n") if token.value.endswith("\n") else token.value + text
            )

    def _set_eol(self, entry: Entry, text: str) -> None:
        container, key = entry
        value = container[key]
        in_list = isinstance(value, CommentedMap) and isinstance(container, CommentedSeq)
        if in_list and len(value) and not self.keeps_flow(value):
            # A mapping in a list starts on its dash's line, with its first key.
            first = _entries(value)[0]
            if not isinstance(value[first], (CommentedMap, CommentedSeq)):
                self._set_eol((value, first), text)
                return
        slot = 2 if isinstance(container, CommentedMap) else 0
        items = container.ca.items.setdefault(key, [None, None, None, None])
        after = items[slot].value.lstrip("\n") if items[slot] is not None else ""
        # A leading space: ruamel.yaml writes one more, for two before the '#'.
        items[slot] = CommentToken(f" {text}\n{after}", CommentMark(0), None)


def _first_in(entry: Entry) -> bool:
    container, key = entry
    return bool(key == _entries(container)[0])


def _key(entry: Entry) -> str:
    return f"{id(entry[0])}:{entry[1]!r}"


def _tokens(comment: Any) -> Iterator[CommentToken]:
    stack: list[Any] = [comment.comment, list(comment.items.values()), getattr(comment, "end", None)]
    while stack:
        item = stack.pop()
        if isinstance(item, CommentToken):
            yield item
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
