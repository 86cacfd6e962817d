"""The whole-playbook PDF rendered as separately cached parts and merged reads exactly as one
render of the same HTML: pages, their text, page x of y, contents, bookmarks, links, metadata."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from playbookgen.model import Playbook, load_playbook
from playbookgen.render.pdf import render_html, render_pdfs
from playbookgen.render.pdf_parts import PageFacts, overlay_html, split
from playbookgen.render.print_html import print_documents

from .conftest import EXAMPLES, REFERENCE

SMALL = EXAMPLES / "print-small"


def load(root: Path) -> Playbook:
    playbook, problems = load_playbook(root)
    assert not [p for p in problems if p.severity == "error"]
    return playbook


def whole_html(playbook: Playbook) -> str:
    [doc] = [d for d in print_documents(playbook) if d.relpath == "playbook.pdf"]
    return doc.html


def page_lines(path: Path) -> list[list[str]]:
    """Each page's text laid out by position (poppler), so drawing order does not matter."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]  # every page ends with a form feed
    return [[line.rstrip() for line in page.splitlines() if line.strip()] for page in pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def links(reader: PdfReader) -> list[tuple[int, tuple[int, ...], int]]:
    """(page index, rectangle rounded to points, target page index) of every internal link."""
    names = reader.named_destinations
    found = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if "/Dest" not in annotation:
                continue
            target = reader.get_destination_page_number(names[str(annotation["/Dest"])])
            rect = tuple(round(float(v)) for v in annotation["/Rect"])
            found.append((number, rect, target))
    return sorted(found)


def struct_pages_are_pages(reader: PdfReader) -> bool:
    """Every structure element that names a page names one of the document's pages."""
    pages = {page.indirect_reference.idnum for page in reader.pages if page.indirect_reference}
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    seen = 0
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get"):
            if "/Pg" in node and node.raw_get("/Pg").idnum not in pages:
                return False
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
            seen += 1
    return seen > 10


@pytest.fixture(scope="module", params=["small", pytest.param("reference", marks=pytest.mark.slow)])
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    where = tmp_path_factory.mktemp(request.param)
    root = where / "playbook"
    shutil.copytree(SMALL if request.param == "small" else REFERENCE, root)
    playbook = load(root)
    render_pdfs(playbook, where / "pdf", where / "cache")
    single, _, _ = render_html(whole_html(playbook), "0" * 64)
    (where / "single.pdf").write_bytes(single)
    return where / "pdf" / "playbook.pdf", where / "single.pdf"


def test_the_whole_playbook_is_rendered_in_parts() -> None:
    parts = split(whole_html(load(SMALL)))
    assert parts is not None
    assert len(parts.parts) >= 5
    assert [p.label for p in parts.parts if p.numbered] == ["part 2", "categories"]
    assert all("counter(pages)" not in p.html for p in parts.parts)


def test_same_pages_and_text(both: tuple[Path, Path]) -> None:
    merged, single = (PdfReader(path) for path in both)
    assert len(merged.pages) == len(single.pages)
    assert [p.mediabox for p in merged.pages] == [p.mediabox for p in single.pages]
    lines = page_lines(both[0])
    assert lines == page_lines(both[1])
    total = len(single.pages)
    assert all(any(line.endswith(f"page {n} of {total}") for line in page) for n, page in enumerate(lines, 1))


def test_same_bookmarks(both: tuple[Path, Path]) -> None:
    merged, single = (PdfReader(path) for path in both)
    assert outline(merged) == outline(single)
    assert len(outline(merged)) > 10


def test_same_links(both: tuple[Path, Path]) -> None:
    merged, single = (PdfReader(path) for path in both)
    assert links(merged) == links(single)
    assert len(links(merged)) > 5


def test_same_metadata_and_tags(both: tuple[Path, Path]) -> None:
    merged, single = (PdfReader(path) for path in both)
    assert merged.metadata == single.metadata
    root = merged.trailer["/Root"]
    assert root["/Lang"] == single.trailer["/Root"]["/Lang"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert struct_pages_are_pages(merged)


def test_a_stylesheet_a_cut_would_change_keeps_the_document_whole() -> None:
    html = whole_html(load(SMALL))
    assert split(html.replace("</style>", "h1 { string-set: chapter content() }</style>", 1)) is None
    assert split(html.replace("</style>", "@page :left { margin-left: 2cm }</style>", 1)) is None
    assert split(html.replace("</style>", "h2::before { counter(section) }</style>", 1)) is None


def test_an_edit_renders_only_its_part_again(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    first = render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache")
    before = (tmp_path / "pdf" / "playbook.pdf").read_bytes()
    [category] = sorted((root / "categories").glob("*.yaml"))[:1]
    text = category.read_text(encoding="utf-8")
    category.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    lines: list[str] = []
    again = render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache", progress=lines.append)
    assert "playbook.pdf" in again.renders
    assert first.pages["playbook.pdf"] == again.pages["playbook.pdf"]
    [line] = [line for line in lines if "playbook.pdf" in line]
    assert "1 of " in line, line
    assert (tmp_path / "pdf" / "playbook.pdf").read_bytes() != before


def test_a_comment_in_the_stylesheet_never_hides_the_rules_after_it() -> None:
    """The overlay empties every ``content`` but the page counter; the words "content:" in a
    CSS comment once swallowed the comment's end, and with it the named landscape page."""
    head = (
        "<html><head><style>/* flows by content: no forced breaks */\n"
        "@page wide { size: A4 landscape; }</style></head><body>"
    )
    document = SimpleNamespace(head=head, tail="</body></html>")
    overlay = overlay_html(document, [PageFacts(1123, 794, "wide", [], [])])  # type: ignore[arg-type]
    assert "@page wide { size: A4 landscape; }" in overlay and "/*" not in overlay
