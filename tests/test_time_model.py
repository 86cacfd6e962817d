"""How the time-and-channel model reads on the reference playbook, on the site and in print:
special hours, a clock per target, customer tiers and channel variants, who covers a
channel when (in the team's time zone and the reader's), and a marketplace's deadlines."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from functools import cache

from playbookgen.helpdesk import Targets, config
from playbookgen.model import load_playbook
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files

from .conftest import REFERENCE

MOMENT = datetime(2026, 11, 1, tzinfo=UTC)


@cache
def _site() -> dict[str, str]:
    playbook, problems = load_playbook(REFERENCE)
    assert not problems
    return site_files(playbook, pdf=False).files


@cache
def _print() -> dict[str, str]:
    playbook, _ = load_playbook(REFERENCE)
    texts = {}
    for doc in print_documents(playbook, MOMENT):
        text = html.unescape(re.sub(r"<[^>]+>", " ", doc.html))
        texts[doc.relpath] = re.sub(r"\s+", " ", text)
    return texts


def _row(page: str, first_cell: str) -> list[str]:
    """The cells of the table row whose header cell is ``first_cell``."""
    match = re.search(
        rf'<th scope="row" markdown="span">{re.escape(first_cell)}</th>\n((?:<td[^\n]*\n)+)', page
    )
    assert match, first_cell
    return re.findall(r'<td data-label="[^"]*" markdown="span">(.*?)</td>', match.group(1))


def test_calendars_page_shows_special_hours_and_who_covers_chat_in_both_time_zones() -> None:
    page = _site()["docs/calendars.md"]
    assert _row(page, "24 December 2026") == ["Christmas Eve", "08:00–17:00"]
    assert _row(page, "27 November 2026") == ["Black Friday late opening", "09:00–23:00"]
    manila = _row(page, "Manila overnight team (outsourced)")
    assert manila == [
        "Mon 00:00–15:00, Tue–Sat 04:00–15:00, Sun 04:00–17:00 (Asia/Manila)",
        "Mon–Fri 21:00–08:00 (next day), Sat 21:00–10:00 (next day), Sun 17:00–08:00 (next day) in "
        "winter; Mon–Fri 22:00–09:00 (next day), Sat 22:00–11:00 (next day), Sun 18:00–09:00 (next day) "
        "in summer",
        "Overnight agent — chat and email (Manila)",
    ]
    assert "**bol.com deadlines:** answer every buyer message within 1 day. A buyer can open" in page


def test_sla_page_lists_tiers_and_variants_and_a_target_on_its_own_clock() -> None:
    page = _site()["docs/sla.md"]
    assert "- **Summit Club Gold members** — Loyalty members who spent over €750" in page
    assert (
        "- Summit Club Gold members: the targets of [Standard contact — Summit Club Gold](#standard-gold) "
        "apply instead." in page
    )
    assert (
        "- On Marketplace chat and Marketplace official store: the targets of "
        "[Marketplace (bol.com)](#marketplace) apply instead." in page
    )
    # The business hours are stated once under each table, not in every cell.
    assert _row(page, "P2 High")[0] == "1 business hour"
    targets = page[page.index("{ #priority-care }") :]
    assert _row(targets, "P2 High") == ["2 hours, around the clock", "4 business hours", "17 business hours"]
    below = targets[targets.index("</table>") :]
    assert below.split("\n\n")[1] == "Business hours: Mon–Fri 09:00–17:30 (Head office, Amsterdam)."


def test_category_page_shows_the_targets_of_its_tier_and_its_marketplace_channels() -> None:
    page = _site()["docs/categories/returns.md"]
    assert (
        "- **Summit Club Gold members:** first reply within 1 business hour (Mon–Sat 08:00–22:00, "
        "Sun 10:00–18:00); resolve within 4 business hours (Mon–Sat 08:00–22:00, Sun 10:00–18:00)" in page
    )
    assert _row(page, "On Marketplace official store") == [
        "[Marketplace (bol.com)](../sla.md#marketplace)",
        "4 hours, around the clock",
        "2 days, around the clock",
    ]
    late = _site()["docs/categories/late-delivery.md"]
    assert "**bol.com on Marketplace chat:** answer every buyer message within 1 day." in late


def test_print_and_cheat_sheets_carry_the_same_facts() -> None:
    book = _print()["playbook.pdf"]
    gold = "Standard contact — Summit Club Gold"
    assert f"Summit Club Gold members: the targets of {gold} apply instead." in book
    assert f"SLA, Summit Club Gold members ({gold}) First response 1 business" in book
    assert "Manila overnight team (outsourced) Mon 00:00–15:00, Tue–Sat 04:00–15:00" in book
    sheet = _print()["cheat-sheets/bpo-chat-email.pdf"]
    assert "Marketplace chat (bol.com): reply within 1 day · dispute after 3 days" in sheet
    assert "On Marketplace chat: first reply 4 hrs · resolve 2 days" in sheet
    assert "On Marketplace official store" not in sheet  # not one of this sheet's channels
    assert (
        "special hours: 24 December 2026 (Christmas Eve) 08:00–17:00 and 31 December 2026 "
        "(New Year's Eve) 08:00–18:00" in sheet
    )
    assert "2027" not in sheet.split("Business hours", 1)[1]  # only the year the sheet is in force
    store = _print()["cheat-sheets/store-frontline.pdf"]
    assert "Marketplace" not in store.split("Business hours", 1)[0].split("Top case types", 1)[1]


def test_measured_tickets_answer_to_their_tier_and_channel_variants() -> None:
    playbook, _ = load_playbook(REFERENCE)
    targets = Targets(playbook, config(playbook))
    plain = targets.target_for("returns", "p3", "email", "")
    gold = targets.target_for("returns", "p3", "email", "summit-gold")
    marketplace = targets.target_for("returns", "p3", "marketplace-store", "summit-gold")
    assert plain is not None and gold is not None and marketplace is not None
    assert (plain.policy, plain.first_response) == ("standard", 2 * 3600)
    assert (gold.policy, gold.first_response) == ("standard-gold", 3600)
    # The channel variant is listed first, so it wins for a Gold member on the marketplace.
    assert (marketplace.policy, marketplace.clock) == ("marketplace", "calendar")
