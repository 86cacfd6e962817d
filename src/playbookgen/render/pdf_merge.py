"""Join the PDFs of a document's parts (render/pdf_parts.py) into one file with pikepdf: pages,
tag tree, named destinations, bookmarks, form fields and metadata, and the page numbers drawn
over every page from the overlay document."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from playbookgen.render.pdf_parts import PageFacts

SCALE = 0.75
"""PDF points per CSS pixel, as WeasyPrint draws."""


def merge_parts(
    parts: Sequence[Path], stubs: Sequence[Sequence[str]], facts: Sequence[PageFacts], overlay: Path
) -> bytes:
    """One PDF of ``parts`` in order. ``stubs`` names, per part, the placeholder anchors that
    stand for anchors of other parts; ``facts`` describes every page of the result."""
    out = pikepdf.new()
    opened: list[pikepdf.Pdf] = []
    try:
        dests: dict[str, pikepdf.Array] = {}
        kids: list[pikepdf.Object] = []
        nums: list[tuple[int, pikepdf.Object]] = []
        fields: list[pikepdf.Object] = []
        base = 0
        for path, placeholders in zip(parts, stubs, strict=True):
            source = pikepdf.open(path)
            opened.append(source)
            first = len(out.pages)
            with warnings.catch_warnings():
                # Named destinations and form fields are joined below, under our own rules.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(source.pages)
            base = _join_tags(out, source, out.pages[first:], base, kids, nums)
            _join_dests(out, source, set(placeholders), dests)
            if "/AcroForm" in source.Root and "/Fields" in source.Root.AcroForm:
                fields.extend(out.copy_foreign(f) for f in source.Root.AcroForm.Fields)
        if len(out.pages) != len(facts):
            raise ValueError(f"the parts have {len(out.pages)} pages, their facts say {len(facts)}")
        _copy_catalog(out, opened[0])
        if kids:
            _write_tags(out, kids, nums, base)
        if dests:
            out.Root.Names = pikepdf.Dictionary(
                Dests=pikepdf.Dictionary(Names=pikepdf.Array(_flat(sorted(dests.items()))))
            )
        if fields:
            out.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(fields))
        _write_outline(out, facts)
        numbers = pikepdf.open(overlay)
        opened.append(numbers)
        _stamp(out, numbers)
        buffer = io.BytesIO()
        # Object streams, as WeasyPrint writes them: without, the file is twice the size.
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for pdf in opened:
            pdf.close()
        out.close()


def _join_tags(
    out: pikepdf.Pdf,
    source: pikepdf.Pdf,
    pages: Sequence[pikepdf.Page],
    base: int,
    kids: list[pikepdf.Object],
    nums: list[tuple[int, pikepdf.Object]],
) -> int:
    """Add a part's structure elements and parent-tree entries, its keys moved up by ``base``;
    returns the first free key after them."""
    tree = source.Root.get("/StructTreeRoot")
    if tree is None:
        return base
    for page in pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = base + int(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = base + int(annotation.StructParent)
    top = tree.K
    documents = list(top) if isinstance(top, pikepdf.Array) else [top]
    for document in documents:
        children = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
        for child in children:
            # Cut the link to the part's own tree first, or copying would drag all of it along.
            if isinstance(child, pikepdf.Dictionary) and "/P" in child:
                del child.P
            kids.append(out.copy_foreign(child))
    highest = base - 1
    for key, value in pikepdf.NumberTree(tree.ParentTree).items():
        if isinstance(value, pikepdf.Array) and not value.is_indirect:
            copied: pikepdf.Object = pikepdf.Array([out.copy_foreign(v) for v in value])
        else:
            copied = out.copy_foreign(value)
        nums.append((base + int(key), copied))
        highest = max(highest, base + int(key))
    return highest + 1


def _write_tags(
    out: pikepdf.Pdf, kids: list[pikepdf.Object], nums: list[tuple[int, pikepdf.Object]], next_key: int
) -> None:
    parent_tree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(_flat(sorted(nums, key=_first)))))
    root = out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, ParentTree=parent_tree, ParentTreeNextKey=next_key
        )
    )
    document = out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array(kids)
        )
    )
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            kid.P = document
    root.K = pikepdf.Array([document])
    out.Root.StructTreeRoot = root


def _join_dests(
    out: pikepdf.Pdf, source: pikepdf.Pdf, stubs: set[str], dests: dict[str, pikepdf.Array]
) -> None:
    """Add a part's named destinations; the first part to define a name wins, as in one render."""
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    for name, destination in pikepdf.NameTree(names.Dests).items():
        if name in stubs or name in dests:
            continue
        dests[name] = pikepdf.Array(
            [_copied(out, v) for v in destination]  # page, /XYZ, x, y, zoom
        )


def _copy_catalog(out: pikepdf.Pdf, first: pikepdf.Pdf) -> None:
    """Metadata and document-wide settings: every part has the same head, so the first's."""
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageMode"):
        if key in first.Root:
            out.Root[key] = _copied(out, first.Root[key], first)
    info = pikepdf.Dictionary()
    for key, value in first.docinfo.items():
        info[key] = value
    out.docinfo = out.make_indirect(info)


def _write_outline(out: pikepdf.Pdf, facts: Sequence[PageFacts]) -> None:
    """Bookmarks from the headings of every page, nested as WeasyPrint nests them in one render."""
    root = _bookmark_tree(facts)
    if not root:
        return
    outlines = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    items, count = _outline_items(out, root, outlines)
    outlines.First, outlines.Last, outlines.Count = items[0], items[-1], count
    out.Root.Outlines = outlines


def _bookmark_tree(facts: Sequence[PageFacts]) -> list[Any]:
    """WeasyPrint's ``make_bookmark_tree`` over the pages of every part (its algorithm, kept
    here so that the merge needs no WeasyPrint import): a list of ``(label, (page, x, y),
    children, state)`` with PDF coordinates, a skipped heading level nesting like one render."""
    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [root]
    previous = 0
    for number, page in enumerate(facts):
        for level, label, x, y, state in page.bookmarks:
            if level > previous:
                skipped.append(level - previous - 1)
            else:
                temp = level
                while temp < previous:
                    temp += 1 + skipped.pop()
                if temp > previous:
                    skipped.append(temp - previous - 1)
            previous = level
            depth = level - sum(skipped)
            children: list[Any] = []
            last_by_depth[depth - 1].append(
                (label, (number, x * SCALE, (page.height - y) * SCALE), children, state)
            )
            del last_by_depth[depth:]
            last_by_depth.append(children)
    return root


def _outline_items(out: pikepdf.Pdf, tree: list[Any], parent: pikepdf.Object) -> tuple[list[Any], int]:
    count = len(tree)
    items: list[pikepdf.Object] = []
    for title, (page, x, y), children, state in tree:
        destination = pikepdf.Array([out.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])
        item = out.make_indirect(
            pikepdf.Dictionary(Title=pikepdf.String(title), Dest=destination, Parent=parent)
        )
        below, below_count = _outline_items(out, children, item)
        item.Count = -below_count if state == "closed" else below_count
        if state != "closed":
            count += below_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if below:
            item.First, item.Last = below[0], below[-1]
        items.append(item)
    return items, count


def _stamp(out: pikepdf.Pdf, numbers: pikepdf.Pdf) -> None:
    """Draw each overlay page over the merged page, marked as an artifact (not read aloud)."""
    if len(numbers.pages) != len(out.pages):
        raise ValueError(f"the page-number overlay has {len(numbers.pages)} pages for {len(out.pages)}")
    for page, overlay in zip(out.pages, numbers.pages, strict=True):
        form = out.copy_foreign(overlay.as_form_xobject())
        # Each part shares one resource dictionary among its pages: give each page its own.
        page.obj.Resources = _shallow(page.obj.Resources)
        if "/XObject" in page.obj.Resources:
            page.obj.Resources.XObject = _shallow(page.obj.Resources.XObject)
        # A fixed name (add_resource's own are random): the same parts always give the same bytes.
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name.PbgPageNumbers)
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(out, b"\nQ\n/Artifact BMC q " + bytes(name.unparse()) + b" Do Q EMC\n")
        )


def _copied(out: pikepdf.Pdf, value: Any, source: pikepdf.Pdf | None = None) -> Any:
    """``value`` of another Pdf, usable in ``out``: containers are copied, scalars kept."""
    if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect and source is not None:
        return out.copy_foreign(source.make_indirect(value))
    return out.copy_foreign(value) if isinstance(value, pikepdf.Object) and value.is_indirect else value


def _shallow(dictionary: pikepdf.Object) -> pikepdf.Dictionary:
    return pikepdf.Dictionary({str(key): value for key, value in dictionary.items()})


def _flat(pairs: Sequence[tuple[Any, Any]]) -> list[Any]:
    return [value for pair in pairs for value in pair]


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]
