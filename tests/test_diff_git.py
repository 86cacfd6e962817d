"""The diff between git revisions of a temporary repository, the CLI around it, and the
"What's new" and changelog pages built on it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen.cli import main
from playbookgen.diff import previous_changelog, whats_new, whats_new_markdown
from playbookgen.model import load_playbook
from playbookgen.whatsnew import read_whats_new

from .conftest import git
from .test_diff import BASE, apply_edits, load_case

TIGHTER_SLA = "SLA policy 'Standard', priority P2 Normal: first response 4 business hours → 2 business hours"


@pytest.fixture
def repo(tmp_path: Path, git_identity: None) -> Path:
    """A repository holding playbook/ in two commits: the base, then a tighter SLA (tagged v1, v2)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet")
    shutil.copytree(BASE, root / "playbook")
    git(root, "add", "playbook")
    git(root, "commit", "--quiet", "-m", "First playbook")
    git(root, "tag", "v1")
    apply_edits(root / "playbook", load_case("sla-target-tightened")["edits"])
    git(root, "commit", "--quiet", "-am", "Answer P2 cases faster")
    git(root, "tag", "v2")
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_revision_against_folder(repo: Path) -> None:
    code, out, _ = run("diff", "git:HEAD~1", str(repo / "playbook"), "--format", "json")
    assert code == 0
    changes = json.loads(out)
    assert [(c["kind"], c["id"], c["class"], c["summary"]) for c in changes] == [
        ("sla-policy", "standard", "tightened", f"{TIGHTER_SLA} (Late delivery, Returns)")
    ]
    # no module prints the SLA target; the email agent's cheat sheet does
    assert changes[0]["affects"]["training"] == []
    assert changes[0]["affects"]["cheat_sheets"] == ["email-agent"]


def test_two_revisions_resolved_next_to_the_playbook(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, out, _ = run("diff", "git:v1", "git:v2", "--exit-code")
    assert code == 1
    assert "1 change: 1 tightened" in out
    assert TIGHTER_SLA in out
    code, out, _ = run("diff", "git:v2", "git:HEAD", "--exit-code")
    assert (code, out.splitlines()[1]) == (0, "No policy changes.")


def test_revision_from_a_subfolder_of_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "playbook" / "categories")
    code, out, _ = run("diff", "git:v1", "..", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == 1


def test_uncommitted_edits_show_against_head(repo: Path) -> None:
    apply_edits(repo / "playbook", load_case("kpi-target")["edits"])
    code, out, _ = run("diff", "git:HEAD", str(repo / "playbook"), "--format", "json")
    assert code == 0
    assert [c["summary"] for c in json.loads(out)] == ["KPI 'Customer satisfaction': target 85% → 88%"]


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, out, err = run("diff", "git:v9", str(repo / "playbook"))
    assert (code, out) == (2, "")
    assert "git revision 'v9' was not found" in err


def test_option_like_revision_is_refused(repo: Path) -> None:
    code, _, err = run("diff", "git:--output=/tmp/x", str(repo / "playbook"))
    assert code == 2
    assert "does not name a git revision" in err


def test_folder_missing_at_the_revision(repo: Path) -> None:
    shutil.copytree(repo / "playbook", repo / "second")
    code, _, err = run("diff", "git:v1", str(repo / "second"))
    assert code == 2
    assert "the folder 'second' does not exist at git revision 'v1'" in err


def test_folder_outside_a_repository(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "loose")
    code, _, err = run("diff", "git:HEAD", str(tmp_path / "loose"))
    assert code == 2
    assert "is not inside a git repository" in err


def test_playbook_with_errors_is_refused_with_its_problems(repo: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(BASE, broken)
    (broken / "kpis.yaml").write_text("kpis: nope\n", encoding="utf-8")
    code, out, err = run("diff", str(repo / "playbook"), str(broken))
    assert (code, out) == (2, "")
    assert f"error: {broken} has 1 error; fix them" in err
    assert f"{broken}/kpis.yaml:1:7: error schema-type" in err


def test_markdown_for_a_pull_request(repo: Path) -> None:
    code, out, _ = run("diff", "git:v1", str(repo / "playbook"), "--format", "markdown")
    assert code == 0
    assert out.splitlines()[:5] == [
        "## Playbook changes: git:v1 → " + str(repo / "playbook"),
        "",
        f"Comparing git:v1 (version 1.4, effective 2026-03-01) with {repo / 'playbook'} "
        "(version 1.4, effective 2026-03-01).",
        "",
        "**1 change: 1 tightened**",
    ]
    assert "| Change | Class | Retrain |" in out
    assert f"| {TIGHTER_SLA} (Late delivery, Returns) | tightened | — |" in out
    assert "### Retrain" not in out
    assert out.endswith("### Reprint\n\n- Cheat sheet Email agent (`email-agent`)\n")


def set_previous(playbook: Path, previous: str | None) -> None:
    path = playbook / "playbook.yaml"
    text = path.read_text(encoding="utf-8")
    extra = f"previous: {json.dumps(previous)}\n" if previous else ""
    history = (
        "history:\n"
        '  - {version: "1.4", effective_date: "2026-03-01", summary: "Faster answers on P2 '
        '<b>cases</b>; updates within {{ policy.update-days }}."}\n'
        '  - {version: "1.3", effective_date: "2026-01-01", summary: First version.}\n'
    )
    path.write_text(
        text.replace('effective_date: "2026-03-01"\n', f'effective_date: "2026-03-01"\n{extra}{history}')
    )


def test_whats_new_against_the_previous_tag(repo: Path) -> None:
    set_previous(repo / "playbook", "git:v1")
    changelog = whats_new(repo / "playbook")
    assert changelog is not None
    assert [c.summary for c in changelog.changes] == [f"{TIGHTER_SLA} (Late delivery, Returns)"]
    page = whats_new_markdown(repo / "playbook")
    assert page.startswith("# What's new since 1.4\n")
    assert "| tightened | — |" in page


@pytest.mark.parametrize(
    ("previous", "reason"),
    [
        (None, "playbook.yaml names no previous version"),
        ("git:v0", "the previous version git:v0 cannot be read: git revision 'v0' was not found"),
        ("../missing", "the previous version ../missing cannot be read"),
    ],
)
def test_whats_new_says_why_there_is_nothing_to_show(repo: Path, previous: str | None, reason: str) -> None:
    set_previous(repo / "playbook", previous)
    changelog, why = previous_changelog(repo / "playbook")
    assert changelog is None
    assert why.startswith(reason)
    page = whats_new_markdown(repo / "playbook", heading_level=2)
    assert page == f"No comparison with an earlier version: {why}.\n"


def test_whats_new_with_a_previous_folder(repo: Path) -> None:
    shutil.copytree(BASE, repo / "old-playbook")
    set_previous(repo / "playbook", "../old-playbook")
    changelog = whats_new(repo / "playbook")
    assert changelog is not None
    assert len(changelog.changes) == 1


def test_site_whats_new_page_shows_the_changes_and_the_history(repo: Path) -> None:
    from playbookgen.render.site import site_files

    set_previous(repo / "playbook", "git:v1")
    playbook, problems = load_playbook(repo / "playbook")
    assert problems == []
    news, warnings = read_whats_new(playbook)
    assert warnings == []
    page = site_files(playbook, whats_new=news).files["docs/whats-new.md"]
    assert "## Changes since version 1.4 (in force from 1 March 2026)" in page
    label = '<span class="pb-change pb-change--tightened">stricter</span>'
    assert f"{label} Priority P2 Normal: first response" in page
    assert "now 2 business hours (was 4 business hours)" in page
    assert "| tightened |" not in page and "Comparing" not in page
    assert "## Changelog" in page
    assert "Faster answers on P2 &lt;b&gt;cases&lt;/b&gt;; updates within 2 days." in page


# --- What's new as the build reads it: a warning, never a machine path -------------------------


def _line_of(playbook: Path, key: str) -> int:
    lines = (playbook / "playbook.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


@pytest.mark.parametrize(
    ("previous", "detail"),
    [
        ("git:v0", "git revision 'v0' is not in the playbook's repository"),
        ("../missing", "there is no folder ../missing (relative to the playbook folder)"),
    ],
)
def test_an_unreadable_previous_version_is_a_warning_at_previous(
    repo: Path, previous: str, detail: str
) -> None:
    set_previous(repo / "playbook", previous)
    playbook, _ = load_playbook(repo / "playbook")
    news, warnings = read_whats_new(playbook)
    assert news.changelog is None
    assert news.reason == f"the previous version {previous} cannot be read: {detail}"
    [warning] = warnings
    assert (warning.path, warning.line, warning.column) == (
        "playbook.yaml",
        _line_of(repo / "playbook", "previous"),
        11,
    )
    assert (warning.rule, warning.severity) == ("previous-version-unreadable", "warning")
    assert warning.message.startswith(f"{news.reason}, so What's new shows no changes; ")
    assert str(repo) not in warning.message and str(repo) not in news.markdown()


def test_a_previous_version_outside_git_or_with_errors_is_named_not_located(
    repo: Path, tmp_path: Path
) -> None:
    loose = tmp_path / "loose"
    shutil.copytree(repo / "playbook", loose)
    set_previous(loose, "git:v1")
    news, [warning] = read_whats_new(load_playbook(loose)[0])
    assert (
        news.reason
        == "the previous version git:v1 cannot be read: the playbook folder is not in a git repository"
    )
    assert str(tmp_path) not in warning.message

    broken = repo / "broken"
    shutil.copytree(repo / "playbook", broken)
    (broken / "kpis.yaml").write_text("kpis: []\n", encoding="utf-8")
    set_previous(repo / "playbook", "../broken")
    news, [warning] = read_whats_new(load_playbook(repo / "playbook")[0])
    assert news.reason == "the previous version ../broken cannot be read: it has errors of its own"
    assert warning.message.endswith("run playbookgen check on ../broken to see them")
