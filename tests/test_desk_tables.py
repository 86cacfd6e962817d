"""Wide matrices at a desk (1280×800) and on paper: no word breaks inside, the first column
stays put, a visible cue when a table scrolls sideways, and every column on a landscape page
when the page is printed from the browser."""

from __future__ import annotations

from typing import Any

import pytest

from .browser_support import ARTIFACTS, Site

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 800}
MATRICES = ["raci/", "authority/", "sla/"]
LANDSCAPE_A4_CONTENT_PX = 1030  # 297 mm less 2 × 12 mm margins, at 96 px per inch

CELLS = """
wrap => Array.from(wrap.querySelectorAll('th, td')).filter(cell => {
  const style = getComputedStyle(cell);
  return cell.scrollWidth > cell.clientWidth + 1
    || style.overflowWrap !== 'normal' || style.wordBreak !== 'normal';
}).map(cell => cell.textContent.trim()).slice(0, 5)
"""


@pytest.mark.parametrize("path", MATRICES)
def test_matrices_fit_a_desk_without_breaking_words(site: Site, open_tab: Any, path: str) -> None:
    tab = open_tab(DESK)
    page = tab.page
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")
    wraps = page.locator(".pb-table-wrap.pb-wide")
    assert wraps.count() >= 1
    for index in range(wraps.count()):
        wrap = wraps.nth(index)
        assert wrap.evaluate(CELLS) == [], "cells that break words or overflow"
        first = wrap.locator("tbody tr > :first-child").first
        assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
        overflowing = wrap.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        hint = wrap.evaluate(
            "el => !!el.previousElementSibling"
            " && el.previousElementSibling.classList.contains('pb-scroll-hint')"
        )
        assert hint == overflowing, "a scroll cue exactly when the table is wider than the page"
        if overflowing:
            # The sticky first column is still in view after scrolling to the far right.
            wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            box, cell = wrap.bounding_box(), first.bounding_box()
            assert abs(cell["x"] - box["x"]) < 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"desk-{path.strip('/')}.png"))
    assert tab.errors == []


@pytest.mark.parametrize("path", MATRICES)
def test_printing_a_matrix_keeps_every_column(site: Site, open_tab: Any, path: str) -> None:
    tab = open_tab({"width": LANDSCAPE_A4_CONTENT_PX, "height": 700})
    page = tab.page
    page.goto(site.url + path)
    page.emulate_media(media="print")
    widths = page.eval_on_selector_all(
        ".pb-table-wrap.pb-wide table",
        "tables => tables.map(t => [t.scrollWidth, t.parentElement.clientWidth])",
    )
    assert widths
    for table_width, box_width in widths:
        assert table_width <= box_width + 1
    assert page.locator(".md-sidebar").first.evaluate("el => getComputedStyle(el).display") == "none"
    assert tab.errors == []
