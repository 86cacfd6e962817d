"""Change briefings on hand-made version pairs: the reference playbook against a copy of itself
with one kind of change, briefed per audience from the semantic diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen.build import read_roster
from playbookgen.cli import main
from playbookgen.diff import compare
from playbookgen.model import Playbook, load_playbook
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files
from playbookgen.views.briefings import Briefings, RosterEntry, briefings
from playbookgen.whatsnew import WhatsNew
from playbookgen.wording import Wording

from .conftest import REFERENCE, Edits, edited_copy

EVERYONE = {"in-store", "agents", "leaders", "trainers"}


@pytest.fixture(scope="module")
def old() -> Playbook:
    playbook, problems = load_playbook(REFERENCE)
    assert not [p for p in problems if p.severity == "error"]
    return playbook


def edited(tmp_path: Path, edits: Edits) -> Playbook:
    """A copy of the reference with each (old, new) text replaced once; version 2026.12."""
    edits = {"playbook.yaml": [('\nversion: "2026.11"', '\nversion: "2026.12"')], **edits}
    playbook, problems = load_playbook(edited_copy(REFERENCE, tmp_path / "playbook", edits))
    assert not [p for p in problems if p.severity == "error"], problems
    return playbook


def briefed(old: Playbook, new: Playbook, roster: tuple[RosterEntry, ...] = ()) -> Briefings:
    changelog = compare(old, new, old_label="2026.11")
    return briefings(new, changelog, Wording.of(new.settings), roster)


def test_a_material_change_briefs_every_audience_that_acts_on_it(old: Playbook, tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        {
            "policies.yaml": [
                ("    name: Return window\n    value: 30\n", "    name: Return window\n    value: 14\n")
            ]
        },
    )
    told = briefed(old, new)
    assert {b.id for b in told.briefings} == EVERYONE
    assert told.untouched == ()
    store = next(b for b in told.briefings if b.id == "in-store")
    [change] = store.changes
    assert change.cls == "tightened" and change.label == "stricter"
    assert change.summary.startswith("Return window policy: 30 days → 14 days (used by 3 categories")
    [question] = store.questions
    assert question.text == "Return window policy: what is it from version 2026.12 on?"
    assert question.choices == ("14 days", "30 days") and question.answer_letter == "A"
    assert "returns-refunds" in {m.id for m in store.training}


def test_rewording_only_gives_no_briefing(old: Playbook, tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        {
            "categories/returns.yaml": [
                (
                    "summary: The customer wants to return or exchange an item,",
                    "summary: The customer wants to return or swap an item,",
                )
            ],
            "policies.yaml": [("    name: Return window\n", "    name: Returns window\n")],
            "categories/web-app-bug.yaml": [('last_reviewed: "2026-04-20"', 'last_reviewed: "2026-11-12"')],
        },
    )
    told = briefed(old, new)
    assert told.briefings == ()
    assert {a.id for a in told.untouched} == EVERYONE
    assert told.reworded == 2  # the summary and the name; the review date is no change at all
    site = site_files(new, whats_new=WhatsNew(compare(old, new, old_label="2026.11"))).files
    index = site["docs/briefings/index.md"]
    assert "changes no policy that staff act on since 2026.11, so there is nothing to brief" in index
    assert "2 changes only reword text and need no briefing" in index
    assert not [p for p in site if p.startswith("docs/briefings/") and not p.endswith("index.md")]


def test_a_change_for_one_audience_briefs_only_it(old: Playbook, tmp_path: Path) -> None:
    """A module's pass mark is the trainers' business only; the index names the others."""
    new = edited(tmp_path, {"training/complaint-handling.yaml": [("  pass_mark: 80\n", "  pass_mark: 90\n")]})
    told = briefed(old, new)
    assert [b.id for b in told.briefings] == ["trainers"]
    assert {a.id for a in told.untouched} == {"in-store", "agents", "leaders"}
    [briefing] = told.briefings
    [question] = briefing.questions
    assert question.choices == ("80%", "90%") and question.answer == 1
    site = site_files(new, pdf=True, whats_new=WhatsNew(compare(old, new, old_label="2026.11"))).files
    index = site["docs/briefings/index.md"]
    assert "No briefing for **Store staff**: none of this version's changes touch what they do." in index
    assert "[Trainers](trainers.md) | 1 |" in index
    assert "(../pdf/briefings/trainers-trainer.pdf)" in index


def test_a_goodwill_cap_briefs_the_role_it_belongs_to(old: Playbook, tmp_path: Path) -> None:
    """Store associates' cap: store staff act on it; no module prints it, so no trainer does."""
    anchor = "gesture barcode.\n    caps:\n      - type: voucher\n        per_case: "
    new = edited(tmp_path, {"authority.yaml": [(anchor + "15\n", anchor + "20\n")]})
    told = briefed(old, new)
    assert [b.id for b in told.briefings] == ["in-store"]
    assert {a.id for a in told.untouched} == {"agents", "leaders", "trainers"}
    store = next(b for b in told.briefings if b.id == "in-store")
    assert store.questions[0].choices == ("€15", "€20")


def test_briefing_pdfs_have_a_sign_off_sheet_and_the_trainer_copy_the_answers(
    old: Playbook, tmp_path: Path
) -> None:
    new = edited(
        tmp_path,
        {
            "policies.yaml": [
                ("    name: Return window\n    value: 30\n", "    name: Return window\n    value: 14\n")
            ]
        },
    )
    roster = (RosterEntry("Sanne de Vries", "Utrecht", "in-store"), RosterEntry("Tom Bakker"))
    told = briefed(old, new, roster)
    docs = {d.relpath: d.html for d in print_documents(new, told=told)}
    staff, trainer = docs["briefings/in-store.pdf"], docs["briefings/in-store-trainer.pdf"]
    assert "Sanne de Vries" in staff and "Tom Bakker" in staff
    assert (
        "Sanne de Vries" not in docs["briefings/agents.pdf"] and "Tom Bakker" in docs["briefings/agents.pdf"]
    )
    assert "Answer:" not in staff and "Answer:" in trainer
    assert "(it was 30 days before this version)" in trainer
    blank = briefed(old, new)
    html = {d.relpath: d.html for d in print_documents(new, told=blank)}["briefings/leaders.pdf"]
    assert html.count("<tr><td></td><td></td><td></td><td></td></tr>") == 14


def test_roster_csv(tmp_path: Path) -> None:
    good = tmp_path / "people.csv"
    good.write_text(
        "Name,Team,Audience\nSanne de Vries,Utrecht,in-store\n,,\nTom Bakker,,\n", encoding="utf-8"
    )
    assert read_roster(good) == (
        (RosterEntry("Sanne de Vries", "Utrecht", "in-store"), RosterEntry("Tom Bakker")),
        [],
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("name,audience\nSanne de Vries,stores\n", encoding="utf-8")
    [problem] = read_roster(bad)[1]
    assert str(problem).startswith("bad.csv:2:2: error roster-csv 'stores' is not an audience; use one of")
    headless = tmp_path / "headless.csv"
    headless.write_text("Sanne de Vries\n", encoding="utf-8")
    assert "has no 'name' column" in read_roster(headless)[1][0].message


def test_a_bad_roster_stops_the_build(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("who\nSanne\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(REFERENCE), "--no-pdf", "--out", str(tmp_path / "site"), "--roster", str(bad)]
    )
    assert result.exit_code == 1
    assert "bad.csv:1:1: error roster-csv has no 'name' column" in result.output
