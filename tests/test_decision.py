"""'Can I fix it now?': the decision view of a category, its page block and its print diagram."""

from __future__ import annotations

import base64
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbookgen.model import load_playbook
from playbookgen.render.decision_svg import WIDTH, decision_svg, opening
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files
from playbookgen.render.svg import text_width
from playbookgen.rules import decision_dead_end
from playbookgen.views.decision import DecisionView, decision, skeleton
from playbookgen.views.typed import PlaybookView

from .conftest import EXAMPLES, REFERENCE

SMALL = EXAMPLES / "site-small"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def reference() -> PlaybookView:
    playbook, _ = load_playbook(REFERENCE)
    return PlaybookView(playbook)


def tree_of(view: PlaybookView, category_id: str) -> DecisionView:
    return decision(view, view.category(category_id))


def test_missing_item_in_store_and_for_agents(reference: PlaybookView) -> None:
    aid = tree_of(reference, "missing-item")
    assert [t.title for t in aid.trees] == ["In store", "Agents (call, chat, email)"]
    store = aid.trees[0]
    assert [r.id for r in store.roles] == ["store-associate"]
    fix, goodwill = store.questions
    assert fix.text == "Can you fix it on the spot?"
    assert [a.label for a in fix.answers] == ["Yes", "No"]
    yes, no = (a.action for a in fix.answers)
    assert yes.kind == "do" and [s.owner_id for s in yes.steps] == ["store-associate"]
    assert "refund the missing item at the till" in yes.steps[0].do
    assert yes.numbers == (3,)  # print points to the third handling step for the whole text
    assert no.kind == "handover" and [r.id for r in no.owners] == ["store-manager"]
    assert no.level == "Level 2 · Team lead / store manager"
    assert no.when == "Marketplace orders, or a missing item worth more than EUR 150."
    assert [a.label for a in goodwill.answers] == ["Up to your limit", "More than that"]
    give, ask = (a.action for a in goodwill.answers)
    assert give.owners[0].id == "store-associate"
    assert [(c.type.id, c.per_case) for c in give.caps][:2] == [("voucher", "€15"), ("refund", "€10")]
    assert ask.owners[0].id == "store-manager" and ask.caps[0].per_case == "€40"
    assert ask.contact == ""  # the hand-over just above already says how to reach them
    agents = aid.trees[1]
    assert [r.id for r in agents.questions[0].answers[1].action.owners] == ["bpo-team-lead"]
    assert aid.breach is not None
    assert [(a.label, a.action.level) for a in aid.breach.answers] == [
        ("At 100%", "Level 3 · Case team"),
        ("At 150%", "Level 4 · CS leadership"),
    ]
    assert aid.breach.answers[0].action.text == (
        "Escalates to Level 3 · Case team; Case owner and Customer service team lead told."
    )


def test_a_case_that_needs_a_qualification_is_handed_over_after_the_first_steps(
    reference: PlaybookView,
) -> None:
    store = tree_of(reference, "product-safety").trees[0]
    fix = store.questions[0]
    assert [a.label for a in fix.answers] == ["No"]  # nobody at the counter may assess it
    away = fix.answers[0].action
    assert away.qualification is not None and away.qualification.id == "product-safety-officer"
    assert [r.id for r in away.owners] == ["store-manager"]
    assert [s.owner_id for s in away.steps] == ["store-associate"]  # what the clerk does first


def test_a_team_without_resolve_now_steps_gets_its_own_steps(reference: PlaybookView) -> None:
    store = tree_of(reference, "data-privacy-request").trees[0]
    away = store.questions[0].answers[0].action
    assert store.group == "store" and away.kind == "handover"
    assert [s.activity.id for s in away.steps if s.activity] == ["store-escalation"]
    goodwill = store.questions[1]
    assert all(c.type.id != "voucher" for a in goodwill.answers for c in a.action.caps)  # forbidden here


def test_every_reference_category_has_an_aid_without_dead_ends(reference: PlaybookView) -> None:
    for category in reference.categories():
        aid = decision(reference, category)
        assert aid.trees, category.id
        for question in aid.questions():
            assert question.answers, (category.id, question.id)
            for answer in question.answers:
                assert not answer.action.dead_end, (category.id, question.id, answer.label)
        assert aid.trees[0].questions[0].id == "fix"
        store_first = [t.group for t in aid.trees]
        assert store_first == sorted(store_first, key=lambda g: (g != "store", g != "bpo")), category.id
        assert category.item is not None
        assert aid.skeleton == skeleton(reference.playbook, category.item)
    assert list(decision_dead_end.check(reference.playbook)) == []


def test_a_dead_end_shows_as_nobody(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    path = root / "categories" / "missing-item.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("escalation_path:"), text.index("forms:")
    text = (text[:start] + text[end:]).replace("\nowner: case-owner\n", "\nowner: agent\n")
    path.write_text(text, encoding="utf-8")
    playbook, _ = load_playbook(root)
    view = PlaybookView(playbook)
    aid = tree_of(view, "missing-item")
    away = aid.trees[0].questions[0].answers[-1].action
    assert away.dead_end and away.text == "No one is named for this in the playbook."
    found = [f.message for f in decision_dead_end.check(playbook)]
    assert any("nobody takes it over" in m for m in found), found
    svg = decision_svg(aid, view.words)
    assert 'stroke="#c62828"' in svg and "No one is named for this in the playbook." in svg


def test_svg_is_standalone_deterministic_and_fits(reference: PlaybookView) -> None:
    for category in reference.categories():
        aid = decision(reference, category)
        svg = decision_svg(aid, reference.words, reference.policy_values)
        assert svg == decision_svg(decision(reference, category), reference.words, reference.policy_values)
        assert "{{" not in svg, category.id  # policy values filled in (returns: the goodwill cap)
        root = ET.fromstring(svg)
        width = float(root.get("width", "0"))
        assert root.get("viewBox", "").startswith(f"0 0 {root.get('width')} ")
        assert width == (WIDTH if len(aid.trees) > 1 else (WIDTH - 4) / 2)
        assert "href" not in svg and "<script" not in svg and "@import" not in svg
        for element in root.iter(f"{SVG}text"):
            x = float(element.get("x", "0"))
            size = float(element.get("font-size", "12"))
            bold = element.get("font-weight") == "bold"
            assert x + text_width(element.text or "", size, bold=bold) <= width, (category.id, element.text)
        texts = " ".join(e.text or "" for e in root.iter(f"{SVG}text"))
        assert "Can you fix it on the spot?" in texts
        if category.id == "missing-item":
            assert "• Step 3: In store, when the customer brings" in texts


def test_opening_keeps_whole_sentences() -> None:
    assert opening("Check the order. Refund it.") == "Check the order. Refund it."
    assert opening("Check the order. " + "Refund it. " * 60).endswith(" …")
    assert opening("Check the order. " + "X" * 400) == "Check the order. …"


def hostile_small(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    category = root / "categories" / "missing-item.yaml"
    category.write_text(
        category.read_text(encoding="utf-8").replace(
            "do: Check the packing record and send the missing item.",
            'do: "Check the record <script>alert(5)</script> & send it."',
        ),
        encoding="utf-8",
    )
    roles = root / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    old = "  - id: lead\n    name: Team lead\n"
    assert text.count(old) == 1
    new = '  - id: lead\n    name: "Lead <b>bold</b> & co"\n'
    roles.write_text(text.replace(old, new), encoding="utf-8")
    return root


def test_category_page_shows_the_aid_near_the_top_escaped(tmp_path: Path) -> None:
    playbook, problems = load_playbook(hostile_small(tmp_path))
    assert not [p for p in problems if p.severity == "error"]
    page = site_files(playbook).files["docs/categories/missing-item.md"]
    start = page.index('<section class="pb-decide" id="can-i-fix-it-now"')
    block = page[start : page.index("## Resolve now", start)]
    # After the facts at a glance and who to call (a phone shows them first), before the steps.
    assert page.index('<div class="pb-glance"') < page.index('<aside class="pb-call"') < start
    assert "](#can-i-fix-it-now)" in page[: page.index("## Resolve now")]
    assert "data-search-exclude" in block[:80]
    assert "Can I fix it now?" in block and "Can you fix it on the spot?" in block
    assert "<script>" not in block and "&lt;script&gt;alert(5)&lt;/script&gt; &amp; send it." in block
    assert "<b>bold</b>" not in block and "Lead &lt;b&gt;bold&lt;/b&gt; &amp; co" in block
    assert "Goodwill voucher **€10**" in block


def test_store_page_of_the_small_example_leads_with_the_store_clerk() -> None:
    playbook, _ = load_playbook(SMALL)
    page = site_files(playbook).files["docs/categories/staff-attitude.md"]
    block = page[page.index('<section class="pb-decide"') :]
    assert re.search(r"\*\*In store\*\* · Store clerk", block)
    # The step up branches on the case, so the hand-over names both roles and the condition.
    assert "Hand over to **Case owner** / **Store manager**" in block
    assert "against. → Case owner; Otherwise → Store manager</small>" in block


def test_print_playbook_carries_the_aid_as_svg() -> None:
    playbook, _ = load_playbook(SMALL)
    book = next(
        d for d in print_documents(playbook, datetime(2026, 3, 1, tzinfo=UTC)) if d.relpath == "playbook.pdf"
    )
    images = re.findall(
        r'<img class="diagram decision" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', book.html
    )
    names = sorted(f"Can I fix it now? {c.name}" for c in playbook.all("category"))
    assert sorted(alt for _, alt in images) == names
    svg = base64.b64decode(images[0][0]).decode("utf-8")
    assert "Can you fix it on the spot?" in svg
    assert book.html.index('class="diagram decision"') < book.html.index("Handling steps")
