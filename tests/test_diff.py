"""The semantic diff on crafted pairs: a base playbook and, per case, the edits that make the
new side and the exact changes expected (tests/examples/diff/cases/*.yaml)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbookgen.diff import CLASSES, compare, diff_specs, render
from playbookgen.model import load_playbook

from .conftest import EXAMPLES

BASE = EXAMPLES / "diff" / "base"
CASES_DIR = EXAMPLES / "diff" / "cases"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.yaml"))


def load_case(name: str) -> dict[str, Any]:
    case: dict[str, Any] = yaml.safe_load((CASES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    return case


def apply_edits(root: Path, edits: list[dict[str, Any]]) -> None:
    """Change a copy of the base playbook as a case says; every replaced text must occur once."""
    for edit in edits:
        if "rename" in edit:
            (root / edit["rename"]).rename(root / edit["to"])
        elif "delete" in edit:
            (root / edit["delete"]).unlink()
        elif "write" in edit:
            (root / edit["file"]).write_text(edit["write"], encoding="utf-8")
        else:
            path = root / edit["file"]
            text = path.read_text(encoding="utf-8")
            assert text.count(edit["replace"]) == 1, f"{edit['file']}: {edit['replace']!r} must occur once"
            path.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")


def make_pair(tmp_path: Path, edits: list[dict[str, Any]]) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(BASE, old)
    shutil.copytree(BASE, new)
    apply_edits(new, edits)
    return old, new


def observed(old: Path, new: Path) -> list[dict[str, Any]]:
    changelog = diff_specs(str(old), str(new))
    found = []
    for change in changelog.changes:
        entry = change.as_dict()
        del entry["before"], entry["after"], entry["field"]
        found.append(entry)
    return found


def test_base_playbook_is_clean() -> None:
    _, problems = load_playbook(BASE)
    assert problems == []


@pytest.mark.parametrize("case", CASES)
def test_case(case: str, tmp_path: Path) -> None:
    spec = load_case(case)
    old, new = make_pair(tmp_path, spec["edits"])
    _, problems = load_playbook(new)
    assert [str(p) for p in problems] == [], "the case's new side must be a valid playbook"
    assert observed(old, new) == spec["expected"]


def test_every_class_is_exercised() -> None:
    seen = {entry["class"] for case in CASES for entry in load_case(case)["expected"]}
    assert seen == set(CLASSES)


def test_reverse_of_a_tightening_is_a_loosening(tmp_path: Path) -> None:
    old, new = make_pair(tmp_path, load_case("sla-target-tightened")["edits"])
    forward = diff_specs(str(old), str(new)).changes
    backward = diff_specs(str(new), str(old)).changes
    assert [c.cls for c in forward] == ["tightened"]
    assert [c.cls for c in backward] == ["loosened"]
    assert (forward[0].before, forward[0].after) == ("PT4H", "PT2H")
    assert (backward[0].before, backward[0].after) == ("PT2H", "PT4H")


def test_output_is_deterministic(tmp_path: Path) -> None:
    edits = [
        e
        for case in ("policy-value", "goodwill-caps", "new-category", "form-fields")
        for e in load_case(case)["edits"]
    ]
    old, new = make_pair(tmp_path, edits)
    first = {fmt: render(diff_specs(str(old), str(new)), fmt) for fmt in ("text", "markdown", "json")}
    old_playbook, _ = load_playbook(old)
    new_playbook, _ = load_playbook(new)
    again = compare(old_playbook, new_playbook, old_label=str(old), new_label=str(new))
    assert {fmt: render(again, fmt) for fmt in first} == first
    kinds = [c["kind"] for c in json.loads(first["json"])]
    assert kinds == ["category", "policy", "authority", "authority", "form", "form", "form"]


def test_text_report(tmp_path: Path) -> None:
    old, new = make_pair(tmp_path, load_case("sla-target-tightened")["edits"])
    text = render(diff_specs(str(old), str(new)), "text")
    assert text == (
        f"Playbook changes: {old} (version 1.4, effective 2026-03-01) → "
        f"{new} (version 1.4, effective 2026-03-01)\n"
        "1 change: 1 tightened\n"
        "\n"
        "SLA policies\n"
        "  tightened  SLA policy 'Standard', priority P2 Normal: first response 4 business hours → "
        "2 business hours (Late delivery, Returns)\n"
        "\n"
        "Reprint\n"
        "  Cheat sheet Email agent (email-agent)\n"
    )


def test_no_changes_in_every_format(tmp_path: Path) -> None:
    old, new = make_pair(tmp_path, [])
    changelog = diff_specs(str(old), str(new))
    assert render(changelog, "json") == "[]\n"
    assert render(changelog, "text").splitlines()[1:] == ["No policy changes."]
    markdown = render(changelog, "markdown")
    assert markdown.endswith("\n\nNo policy changes.\n")
    assert "Retrain" not in markdown and "Reprint" not in markdown


def test_markdown_escapes_playbook_text(tmp_path: Path) -> None:
    hostile = "Missing <img src=x onerror=alert(1)> | [x](javascript:alert(2))"
    edits = [
        {"file": "categories/missing-item.yaml", "replace": "name: Missing item", "with": f"name: {hostile}"}
    ]
    old, new = make_pair(tmp_path, edits)
    markdown = render(diff_specs(str(old), str(new)), "markdown")
    assert "<img" not in markdown and "javascript:" not in markdown
    assert "Missing &lt;img src=x onerror=alert(1)&gt; \\| x" in markdown


# --- what a change affects: a printable item only when what it shows changes ----------------


def _affects(tmp_path: Path, edits: list[dict[str, Any]]) -> list[dict[str, list[str]]]:
    old, new = make_pair(tmp_path, edits)
    return [change.as_dict()["affects"] for change in diff_specs(str(old), str(new)).changes]


def test_a_form_whose_printed_text_does_not_change_is_not_reprinted(tmp_path: Path) -> None:
    # The category lists the goodwill form, but the form does not print the description.
    [affects] = _affects(tmp_path, load_case("reworded")["edits"])
    assert affects["forms"] == [] and affects["categories"] == ["missing-item"]


def test_a_form_whose_printed_text_changes_is_reprinted(tmp_path: Path) -> None:
    edit = {"file": "forms/return-request.yaml", "replace": "label: Notes", "with": "label: Remarks"}
    [affects] = _affects(tmp_path, [edit])
    assert affects["forms"] == ["return-request"]


def test_an_sla_change_reprints_no_form_that_prints_no_sla(tmp_path: Path) -> None:
    [affects] = _affects(tmp_path, load_case("sla-target-tightened")["edits"])
    assert affects["forms"] == [] and affects["training"] == []
    assert affects["cheat_sheets"] == ["email-agent"], "the sheet prints the target"


def test_a_goodwill_cap_change_retrains_no_module_that_does_not_show_it(tmp_path: Path) -> None:
    affects = _affects(tmp_path, load_case("goodwill-caps")["edits"])
    assert [a["training"] for a in affects] == [[], []]
    assert affects[0]["cheat_sheets"] == ["email-agent"], "the agent's sheet prints the agent's caps"


def test_a_module_that_quotes_a_changed_policy_is_retrained(tmp_path: Path) -> None:
    [affects] = _affects(tmp_path, load_case("policy-value")["edits"])
    assert affects["training"] == ["returns-basics"]


def test_a_new_version_number_and_date_alone_affect_nothing(tmp_path: Path) -> None:
    edits = [
        {"file": "playbook.yaml", "replace": 'version: "1.4"', "with": 'version: "1.5"'},
        {
            "file": "playbook.yaml",
            "replace": 'effective_date: "2026-03-01"',
            "with": 'effective_date: "2026-04-01"',
        },
    ]
    assert _affects(tmp_path, edits) == []


def in_locale(locale: str, edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"file": "playbook.yaml", "replace": "locale: en-GB", "with": f"locale: {locale}"}, *edits]


@pytest.mark.parametrize(
    ("locale", "frame"),
    [
        (
            "nl-NL",
            (
                "Wijzigingen in het playbook:",
                "2 wijzigingen: 1 aangescherpt, 1 toegevoegd",
                "Opnieuw afdrukken",
            ),
        ),
        ("vi-VN", ("Thay đổi trong sổ tay:", "2 thay đổi: 1 thắt chặt, 1 thêm mới", "In lại")),
    ],
)
def test_the_report_reads_in_the_playbooks_language(
    tmp_path: Path, locale: str, frame: tuple[str, str, str]
) -> None:
    """A Dutch (or Vietnamese) playbook's diff speaks its readers' language in text and Markdown;
    JSON keeps its English keys and class names for tools."""
    edits = load_case("sla-target-tightened")["edits"] + load_case("new-category")["edits"]
    old, new = make_pair(tmp_path, [])
    apply_edits(old, in_locale(locale, []))
    apply_edits(new, in_locale(locale, edits))
    changelog = diff_specs(str(old), str(new))
    text = render(changelog, "text")
    markdown = render(changelog, "markdown")
    for words in frame:
        assert words in text and words in markdown
    for english in ("Playbook changes", "tightened", "Reprint", "SLA policies", "effective", "New category"):
        assert english not in text and english not in markdown
    entries = json.loads(render(changelog, "json"))
    assert [e["class"] for e in entries] == ["added", "tightened"] or [e["class"] for e in entries] == [
        "tightened",
        "added",
    ]
    assert set(entries[0]) >= {"kind", "id", "class", "summary", "field", "before", "after"}
