"""The store clerk's tasks, performed in headless Chromium on a 360×740 phone.

With a customer at the counter, from the home page and in at most three taps, with nothing
to expand: (a) the store support number that is staffed today, for a category; (b) whether a
store associate may refund a missing item on the spot; (c) the associate's goodwill cap.
The page clock is fixed to a weekday and to a Saturday, so "today" is known.
"""

from __future__ import annotations

from typing import Any

import pytest

from .browser_support import PHONE, Site

pytestmark = pytest.mark.browser

WEEKDAY = "2026-11-04T10:30:00+01:00"  # a Wednesday, Amsterdam time
SATURDAY = "2026-11-07T10:30:00+01:00"
MAX_TAPS = 3


class Clerk:
    """A phone user who counts the taps it takes."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.taps = 0

    def tap(self, locator: Any) -> None:
        locator.first.scroll_into_view_if_needed()
        locator.first.click()
        self.page.wait_for_load_state("domcontentloaded")
        self.taps += 1


def phone(open_tab: Any, when: str) -> Clerk:
    tab = open_tab(PHONE)
    tab.page.clock.set_fixed_time(when)
    return Clerk(tab.page)


def shown_without_expanding(locator: Any) -> bool:
    """Visible, and not inside a closed <details>."""
    return bool(locator.is_visible()) and bool(
        locator.evaluate(
            "el => { for (let e = el; e; e = e.parentElement) {"
            " if (e.tagName === 'DETAILS' && !e.open) return false; } return true; }"
        )
    )


@pytest.mark.parametrize(
    ("when", "number"),
    [(WEEKDAY, "+31 20 555 0199"), (SATURDAY, "+31 20 555 0198")],
    ids=["weekday", "saturday"],
)
def test_store_support_number_staffed_today(
    site: Site,
    open_tab: Any,
    when: str,
    number: str,
) -> None:
    clerk = phone(open_tab, when)
    page = clerk.page
    page.goto(site.url)
    clerk.tap(page.locator("article").get_by_role("link", name="In store", exact=True))
    clerk.tap(page.locator("article a", has_text="Missing item"))
    page.wait_for_url("**/categories/missing-item/")
    box = page.locator("#who-to-call")
    assert shown_without_expanding(box)
    staffed = box.locator(".pb-contact--open")
    assert staffed.count() == 1
    assert "Open now" in staffed.inner_text()
    link = staffed.locator('a[href^="tel:"]')
    assert link.inner_text() == number
    assert shown_without_expanding(link)
    assert link.bounding_box()["height"] >= 24  # a thumb can hit it
    assert clerk.taps <= MAX_TAPS


def test_in_store_page_shows_who_to_call(site: Site, open_tab: Any) -> None:
    clerk = phone(open_tab, SATURDAY)
    page = clerk.page
    page.goto(site.url)
    clerk.tap(page.locator("article").get_by_role("link", name="In store", exact=True))
    box = page.locator("#who-to-call")
    assert shown_without_expanding(box)
    assert box.locator(".pb-contact--open a[href^='tel:']").inner_text() == "+31 20 555 0198"


def test_store_associate_may_refund_a_missing_item_on_the_spot(
    site: Site,
    open_tab: Any,
) -> None:
    clerk = phone(open_tab, WEEKDAY)
    page = clerk.page
    page.goto(site.url)
    clerk.tap(page.locator("article").get_by_role("link", name="In store", exact=True))
    clerk.tap(page.locator("article a", has_text="Missing item"))
    clerk.tap(page.locator("nav.pb-jump a", has_text="Resolve now"))
    step = page.locator("#resolve-now ~ ol li", has_text="Store associate").first
    assert shown_without_expanding(step)
    text = step.inner_text()
    assert "refund" in text and "on the spot" in text
    assert step.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    assert clerk.taps <= MAX_TAPS


def test_store_associate_goodwill_cap(site: Site, open_tab: Any) -> None:
    clerk = phone(open_tab, WEEKDAY)
    page = clerk.page
    page.goto(site.url)
    clerk.tap(page.locator("article").get_by_role("link", name="In store", exact=True))
    clerk.tap(page.locator("nav.pb-jump a", has_text="Goodwill you may grant"))
    row = page.locator("table.pb-table tr", has=page.locator("th", has_text="Store associate")).first
    assert shown_without_expanding(row)
    assert "Goodwill voucher: EUR 15" in " ".join(row.inner_text().split()) or "€15" in row.inner_text()
    assert row.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    assert clerk.taps <= MAX_TAPS


@pytest.mark.parametrize(
    ("when", "open_numbers"),
    [
        ("2026-12-25T10:30:00+01:00", []),  # Christmas Day, a Friday: the weekday line's holiday
        ("2026-11-27T22:00:00+01:00", ["+31 20 555 0199"]),  # Black Friday: staffed until 23:00
        ("2026-11-20T22:00:00+01:00", []),  # an ordinary Friday: closed at 21:00
    ],
    ids=["christmas-day", "black-friday-late", "ordinary-friday-late"],
)
def test_open_now_follows_holidays_and_special_hours(
    site: Site, open_tab: Any, when: str, open_numbers: list[str]
) -> None:
    """The "Open now" mark reads the support line's holidays and special hours, not only its week."""
    clerk = phone(open_tab, when)
    page = clerk.page
    page.goto(site.url + "categories/missing-item/")
    box = page.locator("#who-to-call")
    box.locator(".pb-open-now").first.wait_for(state="visible")
    staffed = box.locator(".pb-contact--open a[href^='tel:']")
    assert [staffed.nth(i).inner_text() for i in range(staffed.count())] == open_numbers
    assert box.locator(".pb-contact--closed").count() == 2 - len(open_numbers)
