"""The typed views: each fact derived once, and worded the same on the site and in print."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbookgen.model import load_playbook
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files
from playbookgen.views.typed import PlaybookView

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "playbook"
SMALL = Path(__file__).resolve().parent / "examples" / "print-small"
MOMENT = datetime(2026, 3, 1, tzinfo=UTC)


def _edited(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    for relpath, (old, new) in edits.items():
        path = root / relpath
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relpath}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return root


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
            assert row.first_response == view.words.target(
                row.target["first_response"], row.clock, row.calendar.data if row.calendar else None
            )


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
