"""The diff's rarer sentences in the reader's language: escalation paths, RACI letters,
recovery offers, priority matrix cells and the "used by" note of a policy value, on the
reference playbook compared with an edited copy and worded in Dutch (text, Markdown and the
Dutch site's What's new page); English stays English and JSON keeps its English classes."""

from __future__ import annotations

import json
import re

import pytest

from playbookgen.build import translated_playbooks
from playbookgen.diff import compare, render
from playbookgen.diff.changes import Changelog
from playbookgen.model import Playbook, load_playbook
from playbookgen.render.site import site_files
from playbookgen.whatsnew import WhatsNew
from playbookgen.wording import Wording

from .conftest import REFERENCE, edited_copy

EDITS = {
    # An escalation path loses its middle step.
    "categories/returns.yaml": [
        (
            "  - role: case-owner\n    when: The return is lost in transit, or a store escalation arrives.\n",
            "",
        ),
    ],
    # A RACI letter: the QA specialist is consulted on intake rather than informed.
    "raci.yaml": [
        (
            "      cs-team-lead: A\n      qa-specialist: I\n",
            "      cs-team-lead: A\n      qa-specialist: C\n",
        ),
    ],
    # A recovery offer: the hotline's voucher grows.
    "recovery/hotline-general-call.yaml": [
        ("  - type: voucher\n    amount: 10\n", "  - type: voucher\n    amount: 15\n"),
    ],
    # A priority matrix cell: high impact × medium urgency becomes P1.
    "priorities.yaml": [
        (
            "  - impact: high\n    urgency: medium\n    priority: p2\n",
            "  - impact: high\n    urgency: medium\n    priority: p1\n",
        )
    ],
    # A policy value that other pages quote.
    "policies.yaml": [
        ("    name: Return window\n    value: 30\n", "    name: Return window\n    value: 14\n"),
    ],
}

ENGLISH_FRAMES = (
    "escalation path",
    "offers",
    "offered",
    "no longer",
    "Priority matrix",
    "impact ×",
    "urgency",
    "used by",
    "set to",
    "consulted",
    "informed",
    "responsible",
    "accountable",
    "categories",
    "reworded",
    "priority",
    "days",
)
"""Words of the English sentence frames of those changes; none may reach a Dutch reader."""


def policy_part(report: str) -> str:
    """A report without its translations section (which names source files such as
    ``categories/returns.yaml``) and without link targets."""
    report = re.split(r"\n(?:#+ )?Vertalingen|\n(?:#+ )?Bản dịch", report)[0]
    return re.sub(r"\]\([^)]*\)", "]", report)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Playbook, Playbook]:
    old, problems = load_playbook(REFERENCE)
    assert not [p for p in problems if p.severity == "error"]
    root = edited_copy(REFERENCE, tmp_path_factory.mktemp("words") / "playbook", EDITS)
    new, problems = load_playbook(root)
    assert not [p for p in problems if p.severity == "error"]
    return old, new


@pytest.fixture(scope="module")
def english(pair: tuple[Playbook, Playbook]) -> Changelog:
    return compare(*pair, old_label="git:0123456789ab")


def test_the_english_report_names_every_kind_of_change(english: Changelog) -> None:
    text = render(english, "text")
    for said in (
        "escalation path ",
        "(was ",
        "now offers" if "now offers" in text else "changed its offered",
        "Priority matrix, ",
        "(used by ",
        "(consulted)",
    ):
        assert said in text, said
    kinds = {c.kind for c in english.changes}
    assert {"category", "activity", "recovery", "priority-matrix", "policy"} <= kinds


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_dutch_reader_gets_no_english_sentence_frame(english: Changelog, fmt: str) -> None:
    dutch = english.in_words(Wording.cached("nl-NL"))
    assert dutch is english.in_words(Wording.cached("nl-NL"))  # compared once per language
    assert [c.cls for c in dutch.changes] == [c.cls for c in english.changes]
    report = policy_part(render(dutch, fmt))
    summaries = "\n".join(c.summary for c in dutch.changes)
    for frame in ENGLISH_FRAMES:
        assert frame not in summaries, frame
        assert frame not in report, frame
    for said in ("escalatiepad", "(was ", "Prioriteitenmatrix, impact", "(gebruikt door ", "(geraadpleegd)"):
        assert said in report, said
    assert re.search(r"€\s10 → €\s15", report)  # the money in Dutch formats
    assert "Retourneren en ruilen" in report  # items named as the Dutch translation names them
    entries = json.loads(render(dutch, "json"))
    assert [e["class"] for e in entries] == [c.cls for c in english.changes]


def test_the_dutch_whats_new_page_reads_in_dutch(english: Changelog, pair: tuple[Playbook, Playbook]) -> None:
    _, new = pair
    [(_, dutch)] = translated_playbooks(new)
    page = site_files(dutch, whats_new=WhatsNew(english)).files["docs/whats-new.md"]
    seen = policy_part(re.sub(r"<[^>]+>", "", page.split("## Wijzigingslog")[0]))
    for frame in ENGLISH_FRAMES:
        assert frame not in seen, frame
    assert "Escalatiepad" in seen
    english_page = site_files(new, whats_new=WhatsNew(english)).files["docs/whats-new.md"]
    assert "Escalation path" in english_page


def test_a_vietnamese_wording_has_no_english_frame_either(english: Changelog) -> None:
    report = policy_part(render(english.in_words(Wording.cached("vi-VN", "EUR")), "markdown"))
    for frame in ENGLISH_FRAMES:
        assert frame not in report, frame
    assert "lộ trình chuyển cấp" in report
