"""The typed views: each fact derived once, and worded the same on the site and in print."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbookgen.model import load_playbook
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files
from playbookgen.views.typed import CategoryView, PlaybookView

from .conftest import EXAMPLES, REFERENCE, apply_edits, edited_copy

SMALL = EXAMPLES / "print-small"
MOMENT = datetime(2026, 3, 1, tzinfo=UTC)


def _edited(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    return edited_copy(SMALL, tmp_path / "playbook", {name: [edit] for name, edit in edits.items()})


def _outputs(root: Path) -> dict[str, str]:
    """Every page of the site source and every print document, as text, by name."""
    playbook, problems = load_playbook(root)
    assert not [p for p in problems if p.severity == "error"], problems
    texts = {f"site:{k}": v for k, v in site_files(playbook, pdf=True).files.items() if k.endswith(".md")}
    texts.update({f"print:{d.relpath}": d.html for d in print_documents(playbook, MOMENT)})
    return texts


def test_reference_categories_have_consistent_views() -> None:
    playbook, _ = load_playbook(REFERENCE)
    view = PlaybookView(playbook)
    categories = view.categories()
    assert len(categories) == len(playbook.all("category"))
    for category in categories:
        assert category.priority is not None, category.id
        assert category.default_row is not None and category.default_row.priority == category.priority
        assert category.sla is not None and category.sla.policy == category.policy
        assert set(category.resolve_now) | set(category.escalate) == set(category.steps)
        assert all(step.owner is not None for step in category.steps), category.id
        assert [list(e.role_ids) for e in category.path] == [
            [r["role"] for r in e["branches"]] if "branches" in e else e.get("roles", [e.get("role")])
            for e in category.data.get("escalation_path", [])
        ]
        assert category is view.category(category.id)  # built once


def test_rows_are_sorted_and_worded_once() -> None:
    playbook, _ = load_playbook(REFERENCE)
    view = PlaybookView(playbook)
    for policy in playbook.all("sla-policy"):
        rows = view.sla_rows(policy.id)
        assert [r.priority.rank for r in rows] == sorted(r.priority.rank for r in rows)
        for row in rows:
            own = {metric: (clock, calendar) for metric, clock, calendar in row.clocks}
            clock, calendar = own.get("first_response", (row.clock, row.calendar))
            assert row.first_response == view.words.target(
                row.target["first_response"], clock, calendar.data if calendar else None
            )


def test_a_target_on_its_own_clock_reads_on_that_clock() -> None:
    playbook, _ = load_playbook(REFERENCE)
    row = next(r for r in PlaybookView(playbook).sla_rows("priority-care") if r.priority.id == "p2")
    assert row.first_response == "2 hours, around the clock"
    assert row.resolution == "17 business hours (Mon–Fri 09:00–17:30)"
    assert [(metric, clock) for metric, clock, _ in row.clocks] == [("first_response", "calendar")]


def test_a_priority_named_with_its_code_is_labelled_once_everywhere(tmp_path: Path) -> None:
    root = _edited(tmp_path, {"priorities.yaml": ("name: Urgent", "name: P1 Urgent")})
    outputs = _outputs(root)
    assert any("P1 Urgent" in text for text in outputs.values())
    doubled = [name for name, text in outputs.items() if "P1 P1" in text]
    assert not doubled


def test_retention_in_years_reads_as_years(tmp_path: Path) -> None:
    root = _edited(tmp_path, {"forms/goodwill-approval.yaml": ("retention: P730D", "retention: P5Y")})
    outputs = _outputs(root)
    assert "5 years" in outputs["print:forms/goodwill-approval.pdf"]
    assert not any("1825 days" in text or "1,825 days" in text for text in outputs.values())


def test_kpi_targets_read_the_same_on_the_site_and_in_print() -> None:
    outputs = _outputs(SMALL)
    playbook, _ = load_playbook(SMALL)
    for kpi in PlaybookView(playbook).kpis():
        assert kpi.target in outputs["site:docs/kpis.md"], kpi.id
        assert kpi.target in outputs["print:playbook.pdf"], kpi.id


def test_money_reads_the_same_on_the_site_and_in_print() -> None:
    outputs = _outputs(SMALL)
    site_amounts = set(re.findall(r"€[\d,.]+", outputs["site:docs/authority.md"]))
    print_amounts = set(re.findall(r"€[\d,.]+", outputs["print:playbook.pdf"]))
    assert site_amounts and site_amounts <= print_amounts
    assert "EUR " not in outputs["site:docs/authority.md"]  # free text in YAML may say EUR


@pytest.mark.parametrize(("locale", "expected"), [("nl-NL", "€\xa050"), ("en-IE", "€50")])
def test_the_locale_changes_what_readers_see(tmp_path: Path, locale: str, expected: str) -> None:
    root = _edited(tmp_path, {"playbook.yaml": ("locale: en-GB", f"locale: {locale}")})
    outputs = _outputs(root)
    assert expected in outputs["site:docs/authority.md"]
    assert f'<html lang="{locale}">' in outputs["print:playbook.pdf"]


def _text(html: str) -> str:
    """Printed HTML as the words a reader sees, on one line."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").replace("&#39;", "'").split())
    return re.sub(r" ([.,;:])", r"\1", words)


def test_cheat_sheets_show_only_their_audiences_steps() -> None:
    """A sheet never borrows another role's steps: it shows its role's own steps, or says
    whom the role hands the case to (issue 13: the hotline agent's sheet said 'In store:
    accept unworn items…')."""
    playbook, _ = load_playbook(REFERENCE)
    view = PlaybookView(playbook)
    from playbookgen.views.documents import cheat_sheet

    handovers = 0
    for item in playbook.all("cheat-sheet"):
        sheet = cheat_sheet(view, item)
        for category in sheet.categories:
            assert all(s.owner_id == item.data["role"] for s in category.sheet_steps), (item.id, category.id)
            assert bool(category.sheet_steps) != bool(category.handover), (item.id, category.id)
            handovers += bool(category.handover)
    assert handovers > 0
    docs = {d.relpath: d for d in print_documents(playbook, MOMENT)}
    hotline = _text(docs["cheat-sheets/bpo-call.pdf"].html)
    assert "In store: accept unworn items" not in hotline
    assert "At the till" not in hotline and "Store associate" not in hotline
    assert (
        "Hand over Not yours to resolve: log the case with the customer's own words and hand it over to "
        "BPO team lead." in hotline
    )
    owner = _text(docs["cheat-sheets/case-owner.pdf"].html)
    assert "Your part" in owner and "Recognise the request, unsubscribe" not in owner


def test_new_fields_read_in_print() -> None:
    """How qualifications, branched and shared escalation steps, forbidden compensation and
    team targets read in the printed playbook of Fjord Goods (tests/examples/site-small)."""
    playbook, problems = load_playbook(Path(__file__).resolve().parent / "examples" / "site-small")
    assert not problems
    docs = print_documents(playbook, MOMENT)
    whole = _text(next(d for d in docs if d.kind == "playbook").html)
    for expected in (
        "Qualified: Data protection officer",
        "Report the parcel that went to the wrong customer as a data incident. Case owner Investigate "
        "needs a qualified Data protection officer",
        "Team lead or Store manager (level 2): The customer disputes the answer: the team lead for home "
        "deliveries, the store manager for parcels collected in a store.",
        "Always. If: The customer says they were threatened or discriminated against. → Case owner (level 3) "
        "Otherwise → Store manager (level 2)",
        "Never offer Goodwill voucher: A voucher must not look like a price for a complaint about a person.",
        "Outsourced contact centre (BPO): at least 80% Stores: at least 90%",
    ):
        assert expected in whole, expected
    # The stated order of areas: Service experience before Orders & delivery.
    assert whole.index("Staff attitude") < whole.index("Missing item")


def test_a_role_taken_off_by_a_raci_override_leaves_the_category_page(tmp_path: Path) -> None:
    """A role a category takes off an activity ('-') is not listed on that category's page
    because it answers one of its channels (issue 13: the dispensing-error page must not list
    the marketplace agent)."""
    name = "categories/staff-attitude.yaml"
    # Forbid the gesture instead of the voucher, so the agent keeps its voucher cap.
    edits = [
        ("channels:\n  - store\n", "channels:\n  - store\n  - email\n"),
        ("  - type: voucher\n", "  - type: gesture\n"),
    ]
    root = edited_copy(EXAMPLES / "site-small", tmp_path / "small", {name: edits})
    playbook, _ = load_playbook(root)
    category = PlaybookView(playbook).category("staff-attitude")

    def on_raci(view: CategoryView) -> set[str]:
        return {role.id for _, letters in view.raci for roles in letters.values() for role in roles}

    assert "agent" not in {g.role.id for g in category.goodwill}
    assert "agent" not in on_raci(category)
    assert [a.id for a in category.raci_changed] == ["intake"]
    apply_edits(root, {name: [('      agent: "-"\n', "")]})
    playbook, _ = load_playbook(root)
    category = PlaybookView(playbook).category("staff-attitude")
    assert "agent" in on_raci(category)
    assert "agent" in {g.role.id for g in category.goodwill}
