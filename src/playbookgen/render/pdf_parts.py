"""A long print document as parts rendered and cached one by one, then merged into one PDF
that reads as a single render would: page x of y, table of contents, bookmarks, internal
links, tags and metadata.

The document is cut where it already starts a new page (an element with ``section-break`` or
``wide-page`` directly inside ``<body>`` or inside one of its children), so each part lays out
exactly as it would in the whole. Three things cross the cuts and are put back afterwards:

- *page x of y* is removed from the parts and drawn over the merged pages from one small
  overlay document (rendered from the same CSS), so a part never depends on where it lands;
- parts that link to anchors (the contents, the categories table) are rendered last, with the
  page numbers of their targets written in (``target-counter`` becomes ``attr(data-page)``);
- bookmarks, named destinations and the tag tree of every part are joined in the merged file.

A document whose CSS uses anything a cut would change (running strings, other counters,
``:first``/``:left``/``:right``/``:blank`` pages, other target functions) is not split.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PARTS = 64
"""About how many parts a long document is cut into, whatever its length."""
TARGET_COUNTER = "target-counter(attr(href url), page)"
"""The one cross-reference form parts can carry; any other keeps a document whole."""
_BREAK = re.compile(r"""\bclass\s*=\s*["'][^"']*\b(?:section-break|wide-page)\b""")
_TAG = re.compile(
    r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RAW = {"script", "style", "textarea", "title"}
_ID = re.compile(r"""\s\bid\s*=\s*(["'])(.*?)\1""")
_IDS = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""")
_LOCAL_LINK = re.compile(r"""(<a\b[^>]*?\bhref\s*=\s*["']#([^"']+)["'])""")
_RUNNING = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{[^}]*position\s*:\s*running\(")
_UNSPLITTABLE = re.compile(
    r"string-set|target-text|@page\s*:(?:first|left|right|blank|nth)|"
    r"(?<![-\w])counter\(\s*(?!pages?\s*\))|counters\(|counter-(?:reset|increment|set)"
)
_PAGE_COUNTER = re.compile(r"content\s*:\s*[^;{}]*\bcounter\(\s*pages?\s*\)[^;{}]*")
_OTHER_CONTENT = re.compile(r"content\s*:\s*(?![^;{}]*\bcounter\(\s*pages?\s*\))[^;{}]*")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
"""A comment in a stylesheet: dropped before ``content`` is rewritten, so that the word
"content:" in a comment is never taken for a declaration (which would leave the comment open
and every rule after it unread)."""


@dataclass(frozen=True)
class Part:
    """One separately rendered slice of a document, as a complete HTML document."""

    label: str
    """What the progress line calls it (the id of its first element, or its number)."""
    html: str
    """Without page numbers in the margins; for a numbered part, before its numbers are known."""
    links: tuple[str, ...] = ()
    """Anchors this part shows the page number of (empty: it never depends on page numbers)."""
    stubs: tuple[str, ...] = ()
    """Anchors linked from this part but defined in another: placeholders are rendered here."""

    @property
    def numbered(self) -> bool:
        return bool(self.links)

    def with_numbers(self, pages: dict[str, int]) -> str:
        """The part's HTML with the page number of every anchor it links to written in."""

        def number(match: re.Match[str]) -> str:
            page = pages.get(match.group(2))
            return match.group(1) if page is None else f'{match.group(1)} data-page="{page}"'

        return _LOCAL_LINK.sub(number, self.html)


@dataclass(frozen=True)
class Split:
    """A document cut into parts, plus what the overlay of page numbers needs."""

    parts: list[Part]
    head: str
    """The document up to and including ``<body ...>``, CSS unchanged."""
    tail: str


@dataclass
class PageFacts:
    """What the merge needs to know about a rendered page (sizes in CSS px)."""

    width: float
    height: float
    name: str
    """The named page (``@page wide``) or empty."""
    bookmarks: list[tuple[int, str, float, float, str]] = field(default_factory=list)
    """(level, label, x, y, state) as WeasyPrint found them, top-left origin."""
    anchors: list[str] = field(default_factory=list)
    """The ids on this page, in document order."""

    def as_json(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "name": self.name,
            "bookmarks": [list(b) for b in self.bookmarks],
            "anchors": self.anchors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageFacts:
        marks = [(int(b[0]), str(b[1]), float(b[2]), float(b[3]), str(b[4])) for b in data["bookmarks"]]
        return cls(
            float(data["width"]),
            float(data["height"]),
            str(data["name"]),
            marks,
            [str(a) for a in data["anchors"]],
        )


def split(html: str) -> Split | None:
    """Cut a print document into parts at its forced page breaks; None when it cannot be cut
    without changing what it looks like, or has nothing to cut."""
    body = re.search(r"<body\b[^>]*>", html)
    end = html.rfind("</body>")
    if body is None or end < body.end():
        return None
    head, tail = html[: body.end()], html[end:]
    if _UNSPLITTABLE.search(head) or ("target-counter" in head.replace(TARGET_COUNTER, "")):
        return None
    tops = _top_elements(html, body.end(), end)
    if tops is None:
        return None
    running = set(_RUNNING.findall(head))
    preamble = "".join(
        html[e.start : e.end] for e in tops if running & set(_classes(html[e.start : e.open_end]))
    )
    pieces: list[list[str]] = [[]]
    cursor = body.end()
    for element in tops:
        pieces[-1].append(html[cursor : element.start])
        cursor = element.end
        opening = html[element.start : element.open_end]
        cuts = [c for c in element.breaks if html[element.open_end : c].strip()] if element.breaks else []
        if _BREAK.search(opening) and "".join(pieces[-1]).strip():
            pieces.append([])
        if not cuts:
            pieces[-1].append(html[element.start : element.end])
            continue
        closing = f"</{element.tag}>"
        continued = _ID.sub("", opening, count=1)
        bounds = [element.open_end, *cuts, element.close_start]
        pieces[-1].append(opening + html[bounds[0] : bounds[1]] + closing)
        for start, stop in itertools.pairwise(bounds[1:]):
            pieces.append([continued + html[start:stop] + closing])
    pieces[-1].append(html[cursor:end])
    texts = _grouped(["".join(piece) for piece in pieces if "".join(piece).strip()])
    if len(texts) < 2:
        return None
    stripped = _without_page_numbers(head)
    parts = []
    for number, text in enumerate(texts):
        content = text if number == 0 else preamble + text
        defined = set(_IDS.findall(content))
        links = tuple(dict.fromkeys(m.group(2) for m in _LOCAL_LINK.finditer(content)))
        stubs = tuple(name for name in links if name not in defined)
        label = (_IDS.findall(text) or [f"part {number + 1}"])[0]
        part_head = stripped.replace(TARGET_COUNTER, "attr(data-page)") if links else stripped
        parts.append(Part(label, part_head + _stub_html(stubs) + content + tail, links, stubs))
    return Split(parts, head, tail)


def _grouped(texts: list[str]) -> list[str]:
    """Neighbouring pieces joined so that a long document has about :data:`PARTS` parts (each
    part costs a render's fixed work and its own copy of the fonts). Where a group ends is
    decided by the id its next piece starts with, so an edit or an insertion moves no other
    group's bounds; pieces with links (contents) stay alone, as they render last."""
    size = max(1, round(len(texts) / PARTS))
    if size == 1:
        return texts
    groups: list[list[str]] = []
    for text in texts:
        ids = _IDS.findall(text)
        linked = bool(_LOCAL_LINK.search(text))
        ends = not groups or linked or bool(_LOCAL_LINK.search(groups[-1][-1]))
        if ends or zlib.crc32((ids[0] if ids else text[:200]).encode("utf-8")) % size == 0:
            groups.append([])
        groups[-1].append(text)
    return ["".join(group) for group in groups]


def overlay_html(document: Split, pages: Sequence[PageFacts]) -> str:
    """A document of empty pages, one per merged page and of its named page, that draws only
    what the parts left out: the page numbers in the margins."""
    head = _OTHER_CONTENT.sub("content: none", _CSS_COMMENT.sub("", document.head))
    head = head.replace(
        "</head>",
        "<style>@page { background: none; border: none } html, body { background: none }"
        " .pbg-page { break-before: page; height: 1px }</style></head>",
        1,
    )
    body = "".join(f'<div class="pbg-page" style="page: {page.name or "auto"}"></div>' for page in pages)
    return head + body + document.tail


@dataclass(frozen=True)
class _Element:
    tag: str
    start: int
    open_end: int
    close_start: int
    end: int
    breaks: tuple[int, ...]
    """Start of each direct child that forces a page break."""


def _top_elements(html: str, start: int, stop: int) -> list[_Element] | None:
    """The direct children of ``<body>``; None when the markup is not well nested."""
    tops: list[_Element] = []
    stack: list[tuple[str, int, int, list[int]]] = []
    position = start
    while True:
        match = _TAG.search(html, position, stop)
        if match is None:
            break
        position = match.end()
        closing, tag = match.group(1), (match.group(2) or "").lower()
        if not tag:
            continue  # a comment
        if closing:
            if not stack or stack[-1][0] != tag:
                return None
            name, begin, open_end, breaks = stack.pop()
            if not stack:
                tops.append(_Element(name, begin, open_end, match.start(), match.end(), tuple(breaks)))
            continue
        if tag in _VOID or match.group(3).rstrip().endswith("/"):
            if not stack:
                tops.append(_Element(tag, match.start(), match.end(), match.end(), match.end(), ()))
            continue
        if len(stack) == 1 and _BREAK.search(match.group(0)):
            stack[0][3].append(match.start())
        if tag in _RAW:
            close = html.find(f"</{tag}", position, stop)
            if close < 0:
                return None
            position = close
        stack.append((tag, match.start(), match.end(), []))
    return None if stack else tops


def _classes(opening: str) -> list[str]:
    found = re.search(r"""\bclass\s*=\s*["']([^"']*)["']""", opening)
    return found.group(1).split() if found else []


def _without_page_numbers(head: str) -> str:
    """The head with every ``content`` that shows a page counter emptied: the overlay draws it."""
    return _PAGE_COUNTER.sub("content: none", _CSS_COMMENT.sub("", head))


def _stub_html(stubs: Sequence[str]) -> str:
    """Out-of-flow placeholders for anchors defined in other parts, so that WeasyPrint keeps
    (and tags) the links to them; the merge points them at the real anchors."""
    if not stubs:
        return ""
    inner = "".join(f'<div id="{name}"></div>' for name in stubs)
    return (
        '<div aria-hidden="true" style="position: absolute; left: 0; top: 0; width: 0; height: 0;'
        f' overflow: hidden">{inner}</div>'
    )


def page_facts(document: Any) -> list[PageFacts]:
    """The facts of every page of a rendered WeasyPrint document."""
    facts = []
    for page in document.pages:
        name = getattr(getattr(page._page_box, "page_type", None), "name", "") or ""
        marks = [
            (int(level), str(label), float(x), float(y), str(state or "open"))
            for level, label, (x, y), state in page.bookmarks
        ]
        anchors = [str(anchor) for anchor in page.anchors]
        facts.append(PageFacts(float(page.width), float(page.height), str(name), marks, anchors))
    return facts


def anchor_pages(parts: Sequence[Part], facts: Sequence[Sequence[PageFacts]]) -> dict[str, int]:
    """The page number (from 1) of every anchor in the merged document; a placeholder never
    counts, and the first of two anchors of one name wins, as in one render."""
    pages: dict[str, int] = {}
    number = 0
    for part, part_facts in zip(parts, facts, strict=True):
        stubs = set(part.stubs)
        for page in part_facts:
            number += 1
            for anchor in page.anchors:
                if anchor not in stubs:
                    pages.setdefault(anchor, number)
    return pages
