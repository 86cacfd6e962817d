"""``playbookgen deploy`` into a temporary local repository: no network, mike's branch layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbookgen.cli import main
from playbookgen.deploy import DeployError, deploy
from playbookgen.init import scaffold

from .conftest import git


@pytest.fixture
def repo(tmp_path: Path, git_identity: None) -> Path:
    """A git repository with a scaffolded playbook at version 1.0, committed."""
    root = tmp_path / "repo"
    scaffold(root)
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "First playbook")
    return root


def set_version(repo: Path, version: str) -> None:
    path = repo / "playbook" / "playbook.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('version: "1.0"\n', f'version: "{version}"\n', 1), encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def published(repo: Path, path: str) -> str:
    return git(repo, "show", f"gh-pages:{path}")


def test_two_versions_side_by_side(repo: Path) -> None:
    code, out, err = run("deploy", str(repo / "playbook"), "--alias", "latest", "--no-pdf")
    assert (code, err) == (0, ""), out
    assert out.splitlines()[:2] == [
        f"Published 1.0 to branch gh-pages of {repo}; it opens latest.",
        "Versions: 1.0 (latest)",
    ]
    set_version(repo, "1.1")
    code, out, _ = run("deploy", str(repo / "playbook"), "--version", "1.1", "--alias", "latest", "--no-pdf")
    assert code == 0
    assert "Versions: 1.1 (latest), 1.0" in out

    tree = git(repo, "ls-tree", "gh-pages").splitlines()
    entries = {line.split("\t")[1]: line.split()[0] for line in tree}
    assert entries == {
        ".nojekyll": "100644",
        "1.0": "040000",
        "1.1": "040000",
        "index.html": "100644",
        "latest": "120000",
        "versions.json": "100644",
    }
    assert published(repo, "latest") == "1.1"
    assert json.loads(published(repo, "versions.json")) == [
        {"version": "1.1", "title": "1.1 (from " + today(repo) + ")", "aliases": ["latest"]},
        {"version": "1.0", "title": "1.0 (from " + today(repo) + ")", "aliases": []},
    ]
    assert 'href="latest/"' in published(repo, "index.html")
    for version in ("1.0", "1.1"):
        page = published(repo, f"{version}/categories/missing-item/index.html")
        assert f"Version <strong>{version}</strong>" in page
    assert "Not pushed" in out
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == " M playbook/playbook.yaml\n"


def today(repo: Path) -> str:
    for line in (repo / "playbook" / "playbook.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("effective_date:"):
            return line.split('"')[1]
    raise AssertionError("no effective_date")


def test_redeploying_the_same_version_changes_nothing(repo: Path) -> None:
    first = deploy(repo / "playbook", version="1.0", aliases=["latest"], pdf=False)
    head = git(repo, "rev-parse", "gh-pages")
    again = deploy(repo / "playbook", version="1.0", aliases=["latest"], pdf=False)
    assert first.ok and again.ok
    assert git(repo, "rev-parse", "gh-pages") == head


def test_push_to_a_local_remote(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    result = deploy(repo / "playbook", version="1.0", aliases=["latest"], pdf=False, push=True)
    assert result.pushed
    assert json.loads(git(remote, "show", "gh-pages:versions.json"))[0]["aliases"] == ["latest"]


def test_picks_up_versions_pushed_by_someone_else(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    deploy(repo / "playbook", version="1.0", aliases=["latest"], pdf=False, push=True)
    git(repo, "branch", "-D", "gh-pages")
    git(repo, "fetch", "--quiet", "origin")
    set_version(repo, "1.1")
    result = deploy(repo / "playbook", version="1.1", aliases=["latest"], pdf=False)
    assert [(v.version, v.aliases) for v in result.versions] == [("1.1", ("latest",)), ("1.0", ())]


def test_a_playbook_with_errors_is_not_published(repo: Path) -> None:
    (repo / "playbook" / "kpis.yaml").write_text("kpis: []\n", encoding="utf-8")
    code, out, err = run("deploy", str(repo / "playbook"), "--no-pdf")
    assert code == 1
    assert "kpis.yaml:1:7: error schema-too-few" in out
    assert err == "Build failed; nothing was published.\n"
    assert git(repo, "branch", "--list", "gh-pages") == ""


@pytest.mark.parametrize("name", ["../escape", "-rf", "1.0 final", ""])
def test_refuses_names_that_are_not_versions(repo: Path, name: str) -> None:
    with pytest.raises(DeployError, match="cannot name a published version"):
        deploy(repo / "playbook", version="1.0", aliases=[name] if name else ["x/y"], pdf=False)


def test_outside_a_repository(tmp_path: Path) -> None:
    scaffold(tmp_path / "loose")
    code, _, err = run("deploy", str(tmp_path / "loose" / "playbook"), "--no-pdf")
    assert code == 2
    assert err.startswith("error: cannot deploy: ") and "is not inside a git repository" in err
    assert "git revisions" not in err  # words of diff, not of deploying


def test_published_site_has_version_selector_and_outdated_banner(repo: Path) -> None:
    result = deploy(repo / "playbook", version="1.0", aliases=["latest"], pdf=False)
    assert result.selector
    page = published(repo, "1.0/index.html")
    assert '"version": {"default": "latest", "provider": "mike"}' in page
    assert 'data-md-component="outdated"' in page


def name_previous(repo: Path, previous: str) -> int:
    """Name ``previous`` in playbook.yaml and commit; the line it is on."""
    path = repo / "playbook" / "playbook.yaml"
    text = path.read_text(encoding="utf-8").replace("# previous: git:v1.0\n", f"previous: {previous}\n", 1)
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", f"Compare with {previous}")
    return text.splitlines().index(f"previous: {previous}") + 1


def test_an_unreadable_previous_version_warns_and_publishes_no_machine_path(repo: Path) -> None:
    line = name_previous(repo, "git:v0.9")
    code, out, err = run("deploy", str(repo / "playbook"), "--no-pdf")
    assert (code, err) == (0, ""), out
    assert out.splitlines()[0] == (
        f"{repo / 'playbook'}/playbook.yaml:{line}:11: warning previous-version-unreadable the previous "
        "version git:v0.9 cannot be read: git revision 'v0.9' is not in the playbook's repository, so "
        "What's new shows no changes; fetch it (a shallow CI checkout has no older tags: fetch-depth: 0) "
        "or correct previous: in playbook.yaml"
    )
    page = published(repo, "1.0/whats-new/index.html")
    assert "the previous version git:v0.9 cannot be read: git revision" in page
    assert str(repo) not in page and str(Path.cwd()) not in page


def test_a_strict_build_fails_on_an_unreadable_previous_version(repo: Path) -> None:
    name_previous(repo, "git:v0.9")
    site = repo.parent / "site"
    code, out, _ = run("build", str(repo / "playbook"), "--out", str(site), "--no-pdf", "--strict")
    assert code == 1
    assert "error previous-version-unreadable the previous version git:v0.9 cannot be read" in out
    assert not site.exists()
    settings = repo / "playbook" / "playbook.yaml"
    with settings.open("a", encoding="utf-8") as file:
        file.write("rules:\n  previous-version-unreadable: 'off'\n")
    code, out, _ = run("build", str(repo / "playbook"), "--out", str(site), "--no-pdf", "--strict")
    assert code == 0, out
    assert "previous-version-unreadable" not in out


def test_what_is_new_against_a_published_tag(repo: Path) -> None:
    git(repo, "tag", "v1.0")
    name_previous(repo, "git:v1.0")
    code, out, err = run("deploy", str(repo / "playbook"), "--no-pdf")
    assert (code, err) == (0, ""), out
    assert "previous-version-unreadable" not in out
    assert "Changes since version 1.0" in published(repo, "1.0/whats-new/index.html")
