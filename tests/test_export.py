"""playbookgen export: files valid against schemas written from the helpdesks' API docs,
golden files for the reference playbook, and what could not be carried over reported."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.export import HELPDESKS, export

ROOT = Path(__file__).resolve().parent.parent
API = Path(__file__).parent / "data" / "helpdesk-api"
GOLDENS = Path(__file__).parent / "goldens" / "export"


def exported(root: Path, helpdesk: str) -> Any:
    checked = check(root)
    assert checked.ok, checked.problems
    return export(checked.playbook, helpdesk)


@pytest.mark.parametrize("helpdesk", HELPDESKS)
@pytest.mark.parametrize("playbook", ["playbook", "tests/examples/site-small"])
def test_files_are_valid_against_the_api_schemas(helpdesk: str, playbook: str) -> None:
    result = exported(ROOT / playbook, helpdesk)
    assert result.files
    for name, body in result.files.items():
        schema = json.loads((API / f"{helpdesk}-{name.removesuffix('.json')}.schema.json").read_text())
        jsonschema.validate(body, schema)


@pytest.mark.parametrize("helpdesk", HELPDESKS)
def test_reference_export_matches_goldens(helpdesk: str, tmp_path: Path) -> None:
    result = exported(ROOT / "playbook", helpdesk)
    written = result.write(tmp_path)
    report = "\n".join(str(p) for p in result.problems) + "\n"
    golden = GOLDENS / helpdesk
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for path in written:
            shutil.copy(path, golden / path.name)
        (golden / "not-carried.txt").write_text(report, encoding="utf-8")
    for path in written:
        assert path.read_text() == (golden / path.name).read_text(), f"{path.name} differs from its golden"
    assert report == (golden / "not-carried.txt").read_text()


def test_zendesk_shapes() -> None:
    files = exported(ROOT / "playbook", "zendesk").files
    office = next(s for s in files["schedules.json"]["schedules"] if s["name"] == "Head office, Amsterdam")
    assert office["time_zone"] == "Amsterdam"
    # Monday 09:00–17:30 counted from Sunday 00:00.
    assert office["intervals"][0] == {"start_time": 1440 + 540, "end_time": 1440 + 1050}
    standard = next(p for p in files["sla_policies.json"]["sla_policies"] if p["title"] == "Standard contact")
    assert standard["filter"] == {"all": [], "any": []}  # the default policy catches the rest, last
    assert standard["position"] == len(files["sla_policies.json"]["sla_policies"])
    assert {
        "priority": "urgent",
        "metric": "first_reply_time",
        "target": 30,
        "business_hours": False,
    } in standard["policy_metrics"]


def _playbook_copy(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(ROOT / "playbook", root)
    return root


def test_what_cannot_be_carried_is_reported_at_its_place(tmp_path: Path) -> None:
    root = _playbook_copy(tmp_path)
    sla = root / "sla.yaml"
    # Standard contact's p1 and, so that its tier is not slower (sla-variants), Summit Club Gold's.
    sla.write_text(sla.read_text().replace("first_response: PT30M", "first_response: PT10M", 2))
    # Four helpdesk priorities: the playbook's p4 is left without one.
    helpdesk = root / "helpdesk.yaml"
    helpdesk.write_text(helpdesk.read_text().replace("  - priority: p4\n    level: low\n", ""))
    freshdesk = exported(root, "freshdesk")
    messages = [str(p) for p in freshdesk.problems]
    assert any(
        m.startswith("sla.yaml:21:25:") and "below Freshdesk's 15-minute minimum" in m for m in messages
    )
    assert any(
        m.startswith("priorities.yaml:") and "priority 'p4' has no freshdesk priority" in m for m in messages
    )
    target = freshdesk.files["sla_policies.json"]["sla_policies"][-1]["sla_target"][
        "priority_4"
    ]  # urgent = p1
    assert target["respond_within"] == 900
    assert "priority_1" not in freshdesk.files["sla_policies.json"]["sla_policies"][-1]["sla_target"]
    assert all(p.severity == "warning" and p.rule == "export-not-carried" for p in freshdesk.problems)


def test_cli_export_and_plan(tmp_path: Path) -> None:
    out = tmp_path / "zendesk"
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "zendesk", "--playbook", str(ROOT / "playbook"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "warning export-not-carried" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "holidays.json",
        "macros.json",
        "schedules.json",
        "sla_policies.json",
        "ticket_fields.json",
    ]
    data = json.loads((out / "sla_policies.json").read_text())
    data["sla_policies"][0]["title"] = "Old name"
    (out / "sla_policies.json").write_text(json.dumps(data))
    planned = runner.invoke(
        main, ["export", "zendesk", "--playbook", str(ROOT / "playbook"), "--plan", str(out)]
    )
    assert planned.exit_code == 0
    assert "+ sla_policies.json: Store escalation to head office" in planned.output
    assert "- sla_policies.json: Old name" in planned.output
    assert "2 changes against" in planned.output
