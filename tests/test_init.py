"""``playbookgen init``: the scaffolded repository passes check and builds, and its editor,
pre-commit and CI files point at the right places."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from playbookgen import __version__
from playbookgen.build import build
from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.init import InitError, scaffold
from playbookgen.schema import KINDS, editor_settings

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "service-playbook"
    scaffold(target, today=date(2027, 3, 1))
    return target


def test_playbook_passes_check_strictly(scaffolded: Path) -> None:
    result = check(scaffolded / "playbook", strict=True)
    assert [str(p) for p in result.problems] == []


def test_playbook_is_small_but_complete(scaffolded: Path) -> None:
    playbook = check(scaffolded / "playbook").playbook
    counts = {kind: len(playbook.all(kind)) for kind in ("category", "form", "recovery", "training", "qa")}
    assert counts == {"category": 4, "form": 1, "recovery": 1, "training": 1, "qa": 1}
    assert playbook.all("kpi") and playbook.all("policy") and playbook.all("cheat-sheet")
    singles = (
        "playbook",
        "channels",
        "calendars",
        "roles",
        "authority",
        "priorities",
        "sla",
        "raci",
        "kpis",
        "helpdesk",
    )
    assert sorted(p.name for p in (scaffolded / "playbook").iterdir() if p.is_file()) == sorted(
        f"{name}.yaml" for name in (*singles, "policies")
    )


def test_new_playbook_starts_today(scaffolded: Path) -> None:
    settings = check(scaffolded / "playbook").playbook.settings
    assert settings["effective_date"] == "2027-03-01"
    assert settings["history"][0]["effective_date"] == "2027-03-01"


def test_site_builds_without_pdfs(scaffolded: Path, tmp_path: Path) -> None:
    result = build(scaffolded / "playbook", tmp_path / "site", pdf=False)
    assert [str(p) for p in result.problems] == []
    assert result.ok
    assert (tmp_path / "site" / "categories" / "missing-item" / "index.html").exists()


def test_site_and_pdfs_build(scaffolded: Path, tmp_path: Path) -> None:
    result = build(scaffolded / "playbook", tmp_path / "site")
    assert result.ok, [str(p) for p in result.problems]
    pdfs = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.pdf"))
    assert pdfs == [
        "pdf/authority-matrix.pdf",
        "pdf/cheat-sheets/online-agent.pdf",
        "pdf/forms/case-closure.pdf",
        "pdf/playbook.pdf",
        "pdf/qa/contact-quality.pdf",
        "pdf/training/service-basics-case-studies.pdf",  # the module's handout
        "pdf/training/service-basics-trainee.pdf",
        "pdf/training/service-basics-trainer.pdf",
    ]


def test_schemas_and_editor_settings(scaffolded: Path) -> None:
    assert sorted(p.name for p in (scaffolded / "schemas").iterdir()) == sorted(
        f"{kind}.schema.json" for kind in (*KINDS, "translation")
    )
    settings = json.loads((scaffolded / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == editor_settings("schemas")
    for schema, globs in settings["yaml.schemas"].items():
        assert (scaffolded / schema).is_file()
        if schema.endswith("translation.schema.json"):
            continue  # a new playbook is in one language: no translation files yet
        assert all(list(scaffolded.glob(pattern)) for pattern in globs), globs


def test_every_yaml_modeline_points_at_the_scaffolded_schema(scaffolded: Path) -> None:
    files = sorted((scaffolded / "playbook").rglob("*.yaml"))
    assert len(files) == 19
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path} has no schema modeline"
        target = (path.parent / match.group(1)).resolve()
        assert target.parent == (scaffolded / "schemas").resolve(), path
        assert target.is_file(), path


def test_pre_commit_uses_the_playbookgen_hook(scaffolded: Path) -> None:
    config = yaml.safe_load((scaffolded / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [hook["id"] for hook in repo["hooks"]] == ["playbookgen-check", "playbookgen-fmt"]


def test_ci_workflow_checks_annotates_uploads_sarif_and_builds(scaffolded: Path) -> None:
    text = (scaffolded / ".github" / "workflows" / "playbook.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert "playbookgen check playbook --format github" in runs
    assert "playbookgen fmt playbook --check" in runs
    assert any("--format sarif > playbook.sarif" in run for run in runs)
    assert "github/codeql-action/upload-sarif@v3" in uses
    assert any(run.startswith("playbookgen diff ") and "--format markdown" in run for run in runs)
    assert "playbookgen build playbook --out site" in runs
    assert f'pip install "playbookgen=={__version__}"' in text
    assert "${{ github.base_ref }}" not in "".join(runs), "untrusted values go through env, not into run"


def test_readme_explains_a_change_by_pull_request(scaffolded: Path) -> None:
    readme = (scaffolded / "README.md").read_text(encoding="utf-8")
    for step in ("Make a branch", "Edit the YAML", "Check it", "Open the pull request", "policy changes"):
        assert step in readme
    assert (scaffolded / ".gitignore").read_text(encoding="utf-8").splitlines()[1] == "site/"


def test_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InitError, match="is not empty"):
        scaffold(tmp_path)
    result = CliRunner().invoke(main, ["init", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "use --force" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_writes_into_a_folder_and_keeps_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--force"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("Wrote 41 files into ")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert check(tmp_path / "playbook").ok


def test_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(InitError, match="is a file"):
        scaffold(tmp_path / "file")
