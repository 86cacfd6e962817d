"""The rule engine around the rules: configuration, suppression, --strict, the five report
formats, `playbookgen rules`, the pre-commit hook, and tests that keep the docs honest."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft4Validator

from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.problems import Problem, UnregisteredRule, registered_ids
from playbookgen.rules import RULES, STAGES, rule_docs

from .conftest import REFERENCE, REPO
from .test_rules import BASE, build

SRC = REPO / "src" / "playbookgen"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def run(root: Path, *args: str) -> tuple[int, str]:
    """`playbookgen check . ARGS` run from inside ``root``, as CI runs it."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["check", ".", *args], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def warning_and_error(tmp_path: Path) -> Path:
    """The base playbook with one warning (orphaned-item) and one error (kpi-complete)."""
    return build(
        tmp_path / "playbook",
        {
            "forms/audit.yaml": (BASE / "forms/closure.yaml").read_text().replace("id: closure", "id: audit"),
            "kpis.yaml": [("target: 85", "target: 850")],
        },
    )


# --- configuration, suppression, strict, exit codes ------------------------------------------


def test_warnings_alone_exit_0_and_strict_makes_them_errors(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook", {"training/basics.yaml": [("duration: PT1H\nobj", "duration: PT2H\nobj")]}
    )
    code, output = run(root)
    assert code == 0
    assert output == (
        "training/basics.yaml:6:11: warning training-duration-sum the module takes 2 hours but its sections "
        "add up to 1 hour; make the module duration the sum of its sections\n0 errors, 1 warning\n"
    )
    code, output = run(root, "--strict")
    assert code == 1
    assert output.startswith("training/basics.yaml:6:11: error training-duration-sum ")
    assert output.endswith("1 error, 0 warnings\n")


def test_rules_setting_changes_severity_and_turns_rules_off(tmp_path: Path) -> None:
    root = warning_and_error(tmp_path)
    assert run(root)[0] == 1
    settings = "rules:\n  orphaned-item: error\n  kpi-complete: 'off'\n"
    (root / "playbook.yaml").write_text((root / "playbook.yaml").read_text() + settings)
    code, output = run(root)
    assert code == 1
    assert output.splitlines() == [
        "forms/audit.yaml:1:5: error orphaned-item no category uses the form 'audit'; list it under forms "
        "(or as closure_form) in the categories that need it, or delete the file",
        "1 error, 0 warnings",
    ]
    (root / "playbook.yaml").write_text(
        (root / "playbook.yaml").read_text().replace("orphaned-item: error", "orphaned-item: warning")
    )
    assert run(root) == (
        0,
        output.replace(": error orphaned-item", ": warning orphaned-item").replace(
            "1 error, 0 warnings", "0 errors, 1 warning"
        ),
    )


def test_configurable_built_in_check_can_be_turned_off(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook",
        {"forms/other.yaml": (BASE / "forms/closure.yaml").read_text().replace("id: closure", "id: other")},
    )
    root.joinpath("forms/other.yaml").rename(root / "forms/closure-copy.yaml")
    found = [p.rule for p in check(root).problems]
    assert "id-matches-file" in found
    (root / "playbook.yaml").write_text(
        (root / "playbook.yaml").read_text() + "rules:\n  id-matches-file: 'off'\n  orphaned-item: 'off'\n"
    )
    assert check(root).problems == []


def test_unknown_rule_in_settings_is_a_config_error_at_its_place(tmp_path: Path) -> None:
    root = build(tmp_path / "playbook", {})
    extra = "rules:\n  orphaned-items: 'off'\n  schema-type: warning\n"
    (root / "playbook.yaml").write_text((root / "playbook.yaml").read_text() + extra)
    code, output = run(root)
    assert code == 2
    assert output.splitlines() == [
        "playbook.yaml:21:3: error rules-config there is no rule 'orphaned-items'; "
        "did you mean 'orphaned-item'?",
        "playbook.yaml:22:3: error rules-config 'schema-type' is a built-in check of schema and cannot be "
        "changed; fix what it reports, or silence one place with # playbookgen: ignore[rule-id] reason",
        "2 errors, 0 warnings",
    ]


def test_inline_suppression_with_reason_shows_in_json(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook",
        {
            "kpis.yaml": [
                ("target: 85", "target: 850  # playbookgen: ignore[kpi-complete] a stretch goal, on purpose")
            ]
        },
    )
    code, output = run(root, "--format", "json")
    assert code == 0
    assert json.loads(output) == [
        {
            "file": "kpis.yaml",
            "line": 8,
            "column": 13,
            "rule": "kpi-complete",
            "severity": "error",
            "message": "a target of 850 is impossible for a KPI in percent; it must be between 0 and 100",
            "suppressed": "a stretch goal, on purpose",
        }
    ]
    assert run(root) == (0, "No problems found (0 errors, 0 warnings, 1 suppressed).\n")


def test_suppression_names_the_rule_it_silences(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook",
        {"kpis.yaml": [("target: 85", "target: 850  # playbookgen: ignore[orphaned-item] wrong id")]},
    )
    assert run(root)[0] == 1


def test_rules_run_beside_a_schema_error_on_what_does_not_read_it(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook",
        {"kpis.yaml": [("target: 85", "target: 850")], "roles.yaml": [("group: bpo", "group: outsourced")]},
    )
    assert [p.rule for p in check(root).problems] == ["kpi-complete", "schema-enum"]


def test_a_rule_reading_a_part_that_breaks_its_schema_is_left_out(tmp_path: Path) -> None:
    # The KPI itself breaks its schema: kpi-complete would judge a value of the wrong type.
    root = build(
        tmp_path / "playbook",
        {"kpis.yaml": [("target: 85", "target: 850"), ("direction: higher-is-better", "direction: upward")]},
    )
    assert [p.rule for p in check(root).problems] == ["schema-enum"]


def test_rules_still_run_beside_a_dangling_reference(tmp_path: Path) -> None:
    root = build(
        tmp_path / "playbook",
        {"kpis.yaml": [("target: 85", "target: 850"), ("owner: lead", "owner: nobody")]},
    )
    assert [p.rule for p in check(root).problems] == ["kpi-complete", "unknown-reference"]


def test_dangling_references_everywhere_never_crash_a_rule(tmp_path: Path) -> None:
    ghost = [("owner: lead", "owner: ghost")]
    root = build(
        tmp_path / "playbook",
        {
            "categories/missing-item.yaml": [
                ("sla_policy: standard", "sla_policy: nope"),
                ("channels: [email]", "channels: [fax]"),
                ("    owner: agent", "    owner: ghost"),
                ("activity: intake", "activity: nothing"),
                ("role: head", "role: ghost"),
                ("closure_form: closure", "closure_form: nope"),
                ("recovery_scripts: [missing-item-email]", "recovery_scripts: [nope]"),
                ("urgency: high", "urgency: none"),
            ],
            "sla.yaml": [("calendar: always", "calendar: nope"), ("level: l3", "level: l9")],
            "roles.yaml": [("reports_to: head", "reports_to: ghost"), ("level: l1", "level: l9")],
            "authority.yaml": [
                ("role: lead", "role: ghost"),
                ("- type: voucher\n        per_case: 200", "- type: x\n        per_case: 200"),
            ],
            "raci.yaml": [("lead: A", "ghost: A")],
            "recovery/missing-item-email.yaml": [
                ("owner: agent", "owner: ghost"),
                ("type: voucher", "type: nope"),
            ],
            "forms/closure.yaml": [*ghost, ("activity: close", "activity: nope")],
            "qa/contact-quality.yaml": [
                (
                    "module: basics\n            objective: greet\n      - id: verify",
                    "module: nope\n            objective: greet\n      - id: verify",
                )
            ],
            "training/basics.yaml": [("audience: [agent]", "audience: [agent]\nprerequisites: [nope]")],
            "playbook.yaml": [
                ("role: agent", "role: ghost"),
                ("categories: [missing-item]", "categories: [nope]"),
            ],
        },
    )
    others = sorted({p.rule for p in check(root).problems} - {"unknown-reference"})
    # What still follows from the data: the lead, now without limits, is still an approver;
    # the script is no longer used by the category.
    assert others == ["authority-monotone", "orphaned-item"]


def test_every_consistency_rule_can_be_turned_off(tmp_path: Path) -> None:
    root = build(tmp_path / "playbook", {})
    lines = "".join(f"  {rule}: 'off'\n" for rule in RULES)
    (root / "playbook.yaml").write_text((root / "playbook.yaml").read_text() + "rules:\n" + lines)
    assert check(root).problems == []


# --- report formats ---------------------------------------------------------------------------


def test_github_format_annotates_each_problem(tmp_path: Path) -> None:
    root = warning_and_error(tmp_path)
    code, output = run(root, "--format", "github")
    assert code == 1
    assert output.splitlines() == [
        "::warning file=forms/audit.yaml,line=1,col=5,title=orphaned-item::"
        "no category uses the form 'audit'; list it under forms (or as closure_form) in the categories "
        "that need it, or delete the file",
        "::error file=kpis.yaml,line=8,col=13,title=kpi-complete::a target of 850 is impossible for a KPI "
        "in percent; it must be between 0 and 100",
    ]


def test_sarif_is_valid_sarif_2_1_0_with_rule_metadata_and_locations(tmp_path: Path) -> None:
    root = warning_and_error(tmp_path)
    policies = root / "policies.yaml"
    policies.write_text(
        policies.read_text().replace(
            "description: Days after delivery a customer may return an item.",
            "description: '[x](javascript:x)'  # playbookgen: ignore[unsafe-link] demo",
        )
    )
    code, output = run(root, "--format", "sarif")
    assert code == 1
    log = json.loads(output)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == []
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [d.id for d in rule_docs()]
    by_id = {r["id"]: r for r in rules}
    assert by_id["kpi-complete"]["defaultConfiguration"] == {"level": "error"}
    assert by_id["orphaned-item"]["defaultConfiguration"] == {"level": "warning"}
    assert by_id["kpi-complete"]["shortDescription"]["text"] == RULES["kpi-complete"].SUMMARY
    assert by_id["kpi-complete"]["fullDescription"]["text"].startswith("Every KPI target is possible")
    results = run_["results"]
    assert [(r["ruleId"], r["level"], "suppressions" in r) for r in results] == [
        ("orphaned-item", "warning", False),
        ("kpi-complete", "error", False),
        ("unsafe-link", "error", True),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert results[1]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "kpis.yaml"},
        "region": {"startLine": 8, "startColumn": 13},
    }
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "demo"}]


def test_sarif_of_a_clean_playbook_has_no_results() -> None:
    code, output = run(BASE, "--format", "sarif")
    assert code == 0
    log = json.loads(output)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"] == []


def test_sarif_paths_are_relative_to_where_check_runs(tmp_path: Path) -> None:
    warning_and_error(tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "playbook", "--format", "sarif"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(result.output)["runs"][0]["results"]
    ]
    assert uris == ["playbook/forms/audit.yaml", "playbook/kpis.yaml"]


def test_junit_has_one_test_case_per_rule(tmp_path: Path) -> None:
    root = warning_and_error(tmp_path)
    code, output = run(root, "--format", "junit")
    assert code == 1
    suites = ET.fromstring(output)
    cases = suites.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [d.id for d in rule_docs()]
    assert suites.get("tests") == str(len(cases)) and suites.get("failures") == "1"
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["kpi-complete"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text == (
        "kpis.yaml:8:13: error kpi-complete a target of 850 is impossible for a KPI in percent; it must be "
        "between 0 and 100\n"
    )
    warned = by_name["orphaned-item"]
    assert warned.find("failure") is None
    out = warned.find("system-out")
    assert (
        out is not None
        and out.text is not None
        and out.text.startswith("forms/audit.yaml:1:5: warning orphaned-item")
    )
    assert by_name["sla-metric-order"].find("failure") is None


def test_junit_with_strict_fails_warnings(tmp_path: Path) -> None:
    root = warning_and_error(tmp_path)
    suites = ET.fromstring(run(root, "--format", "junit", "--strict")[1])
    assert suites.get("failures") == "2"


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", str(BASE), "--format", "xml"])
    assert result.exit_code == 2


# --- playbookgen rules ------------------------------------------------------------------------


def test_rules_command_lists_every_rule_with_severity_and_summary() -> None:
    result = CliRunner().invoke(main, ["rules"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"Consistency rules ({len(RULES)}):"
    assert len(RULES) >= 25
    for rule_id, rule in RULES.items():
        assert any(
            re.match(rf"^{re.escape(rule_id)} +{rule.SEVERITY} +{re.escape(rule.SUMMARY)}$", line)
            for line in lines
        )
    for stage in STAGES.values():
        assert any(line.startswith(f"{stage.id} ") for line in lines)


def test_rules_command_as_json() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json"], catch_exceptions=False)
    entries = json.loads(result.output)
    assert [e["id"] for e in entries] == [d.id for d in rule_docs()]
    assert entries[0].keys() == {"id", "severity", "stage", "summary", "doc"}
    stages = {"rules", "load", "schema", "model", "config", "build", "fmt", "staff", "measure", "export"}
    assert {e["stage"] for e in entries} == stages


# --- docs kept honest -------------------------------------------------------------------------


def test_every_rule_is_registered_under_its_own_id_and_documented() -> None:
    modules = sorted(
        p.stem for p in (SRC / "rules").glob("*.py") if p.stem not in ("__init__", "base", "guard", "stages")
    )
    assert sorted(rule.__name__.rsplit(".", 1)[1] for rule in RULES.values()) == modules
    for rule_id, rule in RULES.items():
        assert rule_id == rule.ID and RULE_ID.match(rule_id)
        assert rule.__name__.endswith("." + rule_id.replace("-", "_"))
        assert rule.SEVERITY in ("error", "warning")
        assert rule.SUMMARY.endswith(".") and len(rule.SUMMARY) <= 100
        doc = rule.__doc__ or ""
        assert "**Passes**" in doc and "**Fails**" in doc, rule_id
        examples = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
        assert len(examples) >= 2, rule_id
        for example in examples:
            yaml.safe_load(example.replace("…", "x"))


def test_rule_docs_cover_every_id_exactly_once() -> None:
    docs = rule_docs()
    ids = [d.id for d in docs]
    assert len(ids) == len(set(ids))
    assert all(RULE_ID.match(i) and d.summary and d.doc_markdown for i, d in zip(ids, docs, strict=True))


def _emitted_ids() -> set[str]:
    """Rule ids written anywhere in the source where a problem is made: ``Problem(...)``,
    ``.problem(...)``, the loader's ``_LoadError(...)`` and the rule modules' ``ID``."""
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            callee = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            index = {"Problem": 3, "problem": 1, "_LoadError": 1}.get(callee)
            if index is None:
                continue
            keyword = [k.value for k in node.keywords if k.arg == "rule"]
            arg = node.args[index] if len(node.args) > index else keyword[0] if keyword else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
        for statement in tree.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                value = statement.value
                if any(isinstance(t, ast.Name) and t.id == "ID" for t in targets):
                    assert isinstance(value, ast.Constant), path
                    found.add(str(value.value))
    return found


def test_every_rule_id_the_code_can_emit_is_registered_and_documented() -> None:
    emitted = _emitted_ids()
    assert {"yaml-syntax", "schema-required", "unknown-reference", "duplicate-id", "rules-config"} <= emitted
    build_ids = {"template-error", "print-template", "pdf-render-failed", "cheat-sheet-overflow"}
    assert build_ids | {"build-output", "site-build", "previous-version-unreadable"} <= emitted
    assert set(RULES) <= emitted
    assert emitted - {d.id for d in rule_docs()} == set()
    assert emitted - registered_ids() == set()


def test_a_problem_with_an_unregistered_id_cannot_be_made() -> None:
    with pytest.raises(UnregisteredRule, match="'no-such-rule' is not registered"):
        Problem("playbook.yaml", 1, 1, "no-such-rule", "error", "x")
    problem = Problem("playbook.yaml", 1, 1, "site-build", "error", "x")
    with pytest.raises(UnregisteredRule):
        dataclasses.replace(problem, rule="site-bulid")


def test_rules_lists_the_build_checks_with_severity_and_summary() -> None:
    result = CliRunner().invoke(main, ["rules"], catch_exceptions=False)
    assert result.exit_code == 0
    output = result.output
    rows = {line.split()[0]: line.split()[1] for line in output.splitlines()[1:] if line.strip()}
    for rule_id in ("template-error", "print-template", "pdf-render-failed", "cheat-sheet-overflow"):
        assert rows[rule_id] == "error"
    assert rows["build-output"] == rows["site-build"] == "error"
    assert rows["previous-version-unreadable"] == "warning"


def test_every_command_and_option_has_help() -> None:
    assert main.help
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{name} {param.opts}"


# --- the reference playbook and the pre-commit hook -------------------------------------------


def test_reference_playbook_passes_every_rule_with_no_warnings() -> None:
    """No warnings but its showcase: one Dutch translation left outdated and one review
    postponed within its grace period."""
    result = check(REFERENCE, strict=True)
    assert [(p.path, p.rule) for p in result.problems] == [
        ("categories/returns.yaml", "translation-outdated"),
        ("categories/web-app-bug.yaml", "review-due"),
    ]


def test_pre_commit_hook_manifest() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and [h["id"] for h in hooks] == ["playbookgen-check", "playbookgen-fmt"]
    assert hooks[1]["entry"] == "playbookgen fmt --check" and hooks[1]["pass_filenames"] is False
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert hook["id"] == "playbookgen-check"
    assert hook["entry"] == "playbookgen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("playbook/sla.yaml") and files.search("categories/a.yml")
    assert not files.search("README.md")


def test_pre_commit_hook_entry_runs_in_another_repository(tmp_path: Path) -> None:
    """What pre-commit runs: the entry, with no file names, from the other repository's root."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    other = tmp_path / "other-repo"
    build(other / "playbook", {})
    command = shlex.split(hook["entry"])
    executable = Path(sys.executable).with_name(command[0])
    clean = subprocess.run(
        [str(executable), *command[1:]], cwd=other, capture_output=True, text=True, check=False
    )
    assert (clean.returncode, clean.stdout) == (0, "No problems found (0 errors, 0 warnings).\n")
    kpis = other / "playbook" / "kpis.yaml"
    kpis.write_text(kpis.read_text().replace("target: 85", "target: 850"))
    broken = subprocess.run(
        [str(executable), *command[1:]], cwd=other, capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1
    assert broken.stdout.startswith("playbook/kpis.yaml:8:13: error kpi-complete ")


def test_ci_docs_show_annotations_sarif_upload_and_the_hook() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "--format github" in text and "--format sarif" in text
    assert "github/codeql-action/upload-sarif" in text and "id: playbookgen-check" in text
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    steps = workflow["jobs"]["check"]["steps"]
    assert any(step.get("run") == "playbookgen check playbook --format github" for step in steps)


def test_a_rule_failing_on_a_value_of_the_wrong_shape_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    import playbookgen.rules as registry

    def check_targets(playbook: Any) -> Any:
        for kpi in playbook.all("kpi"):
            float(kpi.data["target"])  # 'lots' breaks the schema and this rule
        yield from ()

    fragile = SimpleNamespace(ID="kpi-complete", SEVERITY="error", SUMMARY="", check=check_targets)
    monkeypatch.setitem(registry.RULES, "kpi-complete", fragile)
    root = build(tmp_path / "playbook", {"kpis.yaml": [("target: 85", "target: lots")]})
    assert [p.rule for p in check(root).problems] == ["value-type"]
