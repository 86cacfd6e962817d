"""Sites that scale: nav sections split past NAV_FANOUT pages, Material's pruned nav past
PRUNE_ABOVE pages, and MkDocs holding each page's HTML compressed until it is written."""

from __future__ import annotations

import hashlib
import html
import importlib.util
import math
import posixpath
import random
import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from playbookgen import build as build_module
from playbookgen.build import build
from playbookgen.check import check
from playbookgen.render import mkdocs_config as nav_module
from playbookgen.render.mkdocs_config import NAV_FANOUT, PRUNE_ABOVE, _bounded, _guide_words
from playbookgen.render.site import SiteFiles, site_files

from .conftest import EXAMPLES, REFERENCE, REPO

SMALL = EXAMPLES / "site-small"
CATEGORIES = 90
"""Categories in the synthetic playbook: enough for more than PRUNE_ABOVE pages and for a
nav section (recovery scripts) of more than NAV_FANOUT pages, yet quick to build (~7 s)."""


def _load_generate() -> Callable[[int, Path], Path]:
    # Loaded from its file rather than through sys.path, so no module named "generate"
    # is left importable for the other tests.
    spec = importlib.util.spec_from_file_location("benchmarks_generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generate: Callable[[int, Path], Path] = module.generate
    return generate


# Nav helpers ---------------------------------------------------------------------------


def is_index(entry: Any) -> bool:
    return isinstance(entry, str) and (entry == "index.md" or entry.endswith("/index.md"))


def nav_lists(node: Any) -> Iterator[list[Any]]:
    """Every list in a nav, at any depth (the nav itself included)."""
    if isinstance(node, list):
        yield node
        for item in node:
            yield from nav_lists(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from nav_lists(value)


def nav_pages(node: Any) -> list[str]:
    """The page paths of a nav, in reading order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in nav_pages(item)]
    return [page for value in node.values() for page in nav_pages(value)]


def section(nav: list[Any], label: str) -> list[Any]:
    """The entries of the top-level nav section ``label``."""
    for entry in nav:
        if isinstance(entry, dict) and label in entry:
            items: list[Any] = entry[label]
            return items
    raise AssertionError(f"no nav section {label!r}")


def assert_bounded(nav: Any) -> None:
    """No nav list holds more than NAV_FANOUT entries, besides its section's index page
    (which Material shows as the section's own link, with ``navigation.indexes``)."""
    for entries in nav_lists(nav):
        counted = [e for e in entries if not is_index(e)]
        assert len(counted) <= NAV_FANOUT, f"{len(counted)} entries: {entries[:3]}…"
        assert sum(is_index(e) for e in entries) <= 1


def label(entry: Any) -> str:
    assert isinstance(entry, dict) and len(entry) == 1, entry
    (name,) = entry
    assert isinstance(name, str)
    return name


def alphabetical(pages: list[str], titles: dict[str, str]) -> list[str]:
    return sorted(pages, key=lambda p: (titles[p].casefold(), titles[p]))


# _bounded ------------------------------------------------------------------------------


def shuffled_titles(count: int, seed: int = 7) -> tuple[list[str], dict[str, str]]:
    """``count`` page paths in a random order, with titles of mixed case (so that plain and
    case-folded sorting disagree) that are unrelated to the paths' order."""
    rng = random.Random(seed)
    words = ["apple", "Banana", "cherry", "Damson", "elder", "Fig", "grape", "Hazel", "iris", "Juniper"]
    paths = [f"cases/p{n:04d}.md" for n in range(count)]
    titles = {path: f"{rng.choice(words)} {rng.randrange(10**6):06d}" for path in paths}
    rng.shuffle(paths)
    return paths, titles


def test_long_section_is_split_alphabetically_into_groups_of_at_most_fanout() -> None:
    pages, titles = shuffled_titles(100)
    titles["cases/index.md"] = "All cases"
    items = [*pages[:50], "cases/index.md", *pages[50:]]  # the index anywhere in the list

    result = _bounded({"Cases": list(items)}, titles)

    assert list(result) == ["Cases"]
    entries = result["Cases"]
    assert entries[0] == "cases/index.md"
    groups = entries[1:]
    assert len(groups) == math.ceil(100 / NAV_FANOUT)
    for group in groups:
        (children,) = group.values()
        assert 0 < len(children) <= NAV_FANOUT
        assert all(isinstance(child, str) for child in children)
    flat = nav_pages(result)
    assert flat == ["cases/index.md", *alphabetical(pages, titles)]
    assert sorted(flat) == sorted(items)  # every page, exactly once
    assert alphabetical(pages, titles) != sorted(pages, key=titles.__getitem__)  # casefold matters
    # Guide words: the first and last titles of each group, en dash between.
    for group in groups:
        (children,) = group.values()
        assert label(group) == f"{titles[children[0]]} – {titles[children[-1]]}"


def test_guide_words_are_truncated_at_24_characters() -> None:
    titles = {f"p/{n:02d}.md": f"Middle {n:02d}" for n in range(NAV_FANOUT - 2)}
    titles["p/first.md"] = "A very long title that needs truncating"
    titles["p/last.md"] = "Zebra   crossing\n"  # white space collapsed
    titles["p/after.md"] = "Zz top"

    entries = _bounded({"S": list(reversed(titles))}, titles)["S"]

    # 41 entries make two even groups, 21 and 20.
    assert [label(e) for e in entries] == ["A very long title that… – Middle 19", "Middle 20 – Zz top"]
    assert _guide_words("Zebra   crossing\n", "Zz top") == "Zebra crossing – Zz top"
    for entry in entries:
        for word in label(entry).split(" – "):
            assert len(word) <= 24


def test_guide_words_are_html_escaped() -> None:
    # Material prints nav labels without escaping them.
    titles = {"p/a.md": "<script>alert(1)</script>"}
    titles |= {f"p/{n:02d}.md": f"Middle {n:02d}" for n in range(NAV_FANOUT - 2)}
    titles["p/x.md"] = "x" * 22 + "&&&"  # cut right after an ampersand
    titles["p/z.md"] = "Zz fish & chips"

    entries = _bounded({"S": list(reversed(titles))}, titles)["S"]

    labels = [label(e) for e in entries]
    assert labels == ["&lt;script&gt;alert(1)&lt;/scrip… – Middle 19", "Middle 20 – Zz fish &amp; chips"]
    labels.append(_guide_words("x" * 22 + "&&&", "a"))
    assert labels[-1] == "xxxxxxxxxxxxxxxxxxxxxx&amp;… – a"
    for text in labels:
        assert "<" not in text and ">" not in text
        assert not re.search(r"&(?!(amp|lt|gt|quot|#x27);)", text)  # escaped after the cut


def test_section_of_at_most_fanout_entries_is_unchanged() -> None:
    pages, titles = shuffled_titles(NAV_FANOUT)
    items = [*pages[:5], "cases/index.md", *pages[5:]]  # index not first: left where it is
    assert _bounded({"Cases": list(items)}, titles) == {"Cases": items}
    nested = ["categories/index.md", {"Orders &amp; delivery": pages[:3]}, {"Stores": pages[3:5]}]
    assert _bounded({"Case categories": nested}, titles) == {"Case categories": nested}


def test_long_group_inside_a_short_section_is_split_in_place() -> None:
    pages, titles = shuffled_titles(60)
    nested: list[Any] = ["categories/index.md", {"Stores": pages[:3]}, {"Orders": pages[3:]}]

    result = _bounded({"Case categories": nested}, titles)["Case categories"]

    assert result[:2] == ["categories/index.md", {"Stores": pages[:3]}]  # order kept, no sorting
    orders = result[2]["Orders"]
    assert len(orders) == 2 and all(isinstance(group, dict) for group in orders)
    assert nav_pages(orders) == alphabetical(pages[3:], titles)
    assert_bounded(result)


def test_two_thousand_pages_nest_with_no_list_over_fanout() -> None:
    pages, titles = shuffled_titles(2000)

    result = _bounded({"Cases": ["cases/index.md", *pages]}, titles)

    assert_bounded(result)
    assert nav_pages(result) == ["cases/index.md", *alphabetical(pages, titles)]

    def depth(node: Any) -> int:
        if isinstance(node, dict):
            return 1 + max(depth(child) for child in next(iter(node.values())))
        return 0

    assert depth(result) == 3  # section → groups of groups → groups of pages
    # Each group's guide words span the groups (or pages) within it.
    for entries in nav_lists(result):
        for entry in entries:
            if isinstance(entry, dict) and "Cases" not in entry:
                inner = nav_pages(entry)
                first, last = (html.unescape(w) for w in label(entry).split(" – "))
                assert titles[inner[0]].startswith(first.rstrip("…"))
                assert titles[inner[-1]].startswith(last.rstrip("…"))


def test_guide_words_of_split_groups_follow_the_group_labels() -> None:
    # More than NAV_FANOUT areas: the areas are sorted by name, so the guide words are area
    # names, not the first and last category titles inside them.
    areas = [{f"Area {n:02d}": [f"categories/c{n:02d}.md"]} for n in range(45)]
    titles = {f"categories/c{n:02d}.md": f"Zeta {44 - n:02d}" for n in range(45)}

    result = _bounded({"Case categories": ["categories/index.md", *areas]}, titles)["Case categories"]

    assert [label(e) for e in result[1:]] == ["Area 00 – Area 22", "Area 23 – Area 44"]


def test_page_whose_name_ends_in_index_is_sorted_like_the_others() -> None:
    paths = [f"categories/p{n:02d}.md" for n in range(NAV_FANOUT)] + ["categories/search-reindex.md"]
    titles = {path: path for path in paths}

    result = _bounded({"Area": list(reversed(paths))}, titles)["Area"]

    assert nav_pages(result) == sorted(paths)


# mkdocs.yml ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid playbook of CATEGORIES categories grown from the reference playbook."""
    return _load_generate()(CATEGORIES, tmp_path_factory.mktemp("synthetic") / "playbook")


@pytest.fixture(scope="module")
def synthetic_site(synthetic: Path) -> tuple[SiteFiles, dict[str, Any]]:
    checked = check(synthetic)
    assert checked.ok, [str(p) for p in checked.problems]
    files = site_files(checked.playbook, pdf=False)
    config: dict[str, Any] = yaml.safe_load(files.files["mkdocs.yml"])
    return files, config


def test_large_site_has_pruned_nav_and_no_list_over_fanout(
    synthetic_site: tuple[SiteFiles, dict[str, Any]],
) -> None:
    files, config = synthetic_site
    assert len(files.pages) > PRUNE_ABOVE
    assert "navigation.prune" in config["theme"]["features"]
    assert "navigation.sections" not in config["theme"]["features"], "sections would list every group"
    nav = config["nav"]
    # Worth checking: at least one section has more pages than fit in one list.
    assert max(len(nav_pages(e)) for e in nav if isinstance(e, dict)) > NAV_FANOUT
    assert_bounded(nav)
    assert sorted(nav_pages(nav)) == sorted(files.pages)  # every page, exactly once
    recovery = section(nav, "Recovery scripts")
    assert recovery[0] == "recovery/index.md"
    assert len(recovery) > 2 and all(" – " in label(group) for group in recovery[1:])


def test_reference_site_is_neither_pruned_nor_split(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check(REFERENCE)
    assert checked.ok
    files = site_files(checked.playbook, pdf=False)
    config = yaml.safe_load(files.files["mkdocs.yml"])
    assert len(files.pages) <= PRUNE_ABOVE
    assert "navigation.prune" not in config["theme"]["features"]
    assert "navigation.sections" in config["theme"]["features"]
    nav = config["nav"]
    categories = section(nav, "Case categories")
    assert categories[0] == "categories/index.md"
    assert len(categories) > 2
    for area in categories[1:]:
        (pages,) = area.values()
        assert pages and all(isinstance(p, str) and p.startswith("categories/") for p in pages)
    # Exactly the nav it had before sections could be split.
    monkeypatch.setattr(nav_module, "_bounded", lambda section, titles: section)
    unsplit = yaml.safe_load(site_files(checked.playbook, pdf=False).files["mkdocs.yml"])
    assert nav == unsplit["nav"]


# _PageMemory ---------------------------------------------------------------------------


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class _NoPageMemory(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Stands in for _PageMemory: MkDocs as it is, every page's HTML held to the end."""


def _priority(event: str) -> int:
    return int(getattr(getattr(build_module._PageMemory, event), "mkdocs_priority", 0))


class _Recording(build_module._PageMemory):  # type: ignore[no-untyped-call]
    """_PageMemory, unchanged (same events, same priorities), noting what pages hold."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, Page] = {}
        self.html_size = 0
        self.after_read: dict[str, bytes] = {}
        self.held_after_read: set[str] = set()
        self.written: list[str] = []
        self.rendered_size: dict[str, int] = {}
        self.holding: list[set[str]] = []  # pages with HTML, as each page is written
        self.still_stored: list[int] = []

    @event_priority(_priority("on_page_content"))
    def on_page_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        self.pages[page.file.src_uri] = page
        self.html_size += len(html)
        return super().on_page_content(html, page=page, **kwargs)

    def on_env(self, env: Any, **kwargs: Any) -> Any:  # between reading and writing pages
        self.after_read = dict(self.stored)
        self.held_after_read = {uri for uri, p in self.pages.items() if p.content or p.markdown}
        return env

    @event_priority(_priority("on_post_page"))
    def on_post_page(self, output: str, *, page: Page, **kwargs: Any) -> str:
        self.rendered_size[page.file.src_uri] = len(page.content or "")
        output = super().on_post_page(output, page=page, **kwargs)
        self.written.append(page.file.src_uri)
        self.holding.append({uri for uri, p in self.pages.items() if p.content})
        self.still_stored.append(len(self.stored))
        return output


@pytest.mark.parametrize("example", [SMALL, REFERENCE], ids=["site-small", "reference"])
def test_page_memory_leaves_the_site_byte_identical(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(example, playbook)
    with_memory, without = tmp_path / "a" / "site", tmp_path / "b" / "site"
    monkeypatch.setattr(build_module, "PAGE_MEMORY_FROM", 0)
    assert build(playbook, with_memory, pdf=False).ok
    monkeypatch.setattr(build_module, "_PageMemory", _NoPageMemory)
    assert build(playbook, without, pdf=False).ok

    hashes = tree_hashes(with_memory)
    assert "tags/index.html" in hashes and "search/search_index.json" in hashes
    assert "categories/index.html" in hashes
    assert hashes == tree_hashes(without)


def test_pages_hold_no_html_except_while_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugins: list[_Recording] = []

    def recording() -> _Recording:
        plugins.append(_Recording())
        return plugins[-1]

    playbook = tmp_path / "playbook"
    shutil.copytree(SMALL, playbook)
    monkeypatch.setattr(build_module, "PAGE_MEMORY_FROM", 0)
    monkeypatch.setattr(build_module, "_PageMemory", recording)
    assert build(playbook, tmp_path / "out" / "site", pdf=False).ok

    (plugin,) = plugins
    listings = {"tags.md"}
    assert plugin.listings == listings
    every = set(plugin.pages)
    assert len(every) > 5 and listings < every and "categories/missing-item.md" in every
    others = every - listings

    # After reading: each page's HTML only compressed, its Markdown let go (tag listing aside).
    assert set(plugin.after_read) == others
    assert plugin.held_after_read == listings
    assert all(zlib.decompress(v).decode("utf-8").strip() for v in plugin.after_read.values())
    assert sum(len(v) for v in plugin.after_read.values()) < plugin.html_size / 2

    # While writing: every page rendered with its HTML; once written, it holds none again.
    assert sorted(plugin.written) == sorted(every)
    assert all(size > 0 for size in plugin.rendered_size.values())
    for n, holding in enumerate(plugin.holding):
        assert holding <= listings, f"after {plugin.written[n]}: {holding - listings} hold HTML"
        assert plugin.still_stored[n] == len(others - set(plugin.written[: n + 1]))
    assert plugin.stored == {}
    assert plugin.pages["tags.md"].content  # the listing, filled in by the tags plugin, kept


# A large build -------------------------------------------------------------------------

NAV_LINK = re.compile(r'<a href="([^"#]*)" class="md-nav__link[^"]*"')


def nav_links(site: Path, pages: list[str], page: str) -> set[str]:
    """The docs pages that the nav of the built ``page`` links to (directory URLs)."""
    by_url = {posixpath.dirname(p) if is_index(p) else p.removesuffix(".md"): p for p in pages}
    folder = page.removesuffix(".md")
    text = (site / folder / "index.html").read_text(encoding="utf-8")
    linked = set()
    for href in NAV_LINK.findall(text):
        target = posixpath.normpath(posixpath.join(folder, href))
        linked.add(by_url["" if target == "." else target])
    return linked


def test_large_site_builds_with_pruned_nav(
    synthetic: Path, synthetic_site: tuple[SiteFiles, dict[str, Any]], tmp_path: Path
) -> None:
    files, config = synthetic_site
    site = tmp_path / "out" / "site"
    result = build(synthetic, site, pdf=False)
    assert result.ok, [str(p) for p in result.problems]

    areas = [e for e in section(config["nav"], "Case categories") if isinstance(e, dict)]
    biggest = max(areas, key=lambda a: len(nav_pages(a)))
    own = nav_pages(biggest)
    page = own[len(own) // 2]
    text = (site / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "md-nav__item--pruned" in text

    linked = nav_links(site, files.pages, page)
    assert set(own) <= linked  # its own group's siblings
    for area in areas:
        if area is not biggest:  # other groups: only a link to their first page
            assert linked & set(nav_pages(area)) == {nav_pages(area)[0]}, label(area)
    assert len([p for p in linked if p.startswith("categories/")]) < CATEGORIES / 2
    assert len(linked) < len(files.pages) * 3 / 4

    # A page in a split section: its guide-words group open, the other groups closed.
    groups = section(config["nav"], "Recovery scripts")[1:]
    script = nav_pages(groups[-1])[0]
    linked = nav_links(site, files.pages, script)
    assert set(nav_pages(groups[-1])) <= linked
    for group in groups[:-1]:
        assert linked & set(nav_pages(group)) == {nav_pages(group)[0]}
