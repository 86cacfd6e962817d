"""Publish a version of the playbook site with mike: build it, commit it to a branch of the
playbook's git repository (``gh-pages`` by default) under the version's folder, move the
aliases (``latest``) onto it and make the default version the one the site root opens.

Material's version selector reads ``versions.json`` at the root of that branch; older
versions show the "outdated" banner because they are not the default alias. Nothing leaves
the machine unless ``push`` is asked for.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mike import commands, git_utils  # type: ignore[import-untyped]

from playbookgen import __version__
from playbookgen.problems import Problem
from playbookgen.revisions import RevisionError, locate

_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")


class DeployError(Exception):
    """The site cannot be published: not a git repository, a bad version name, a git error."""


@dataclass(frozen=True)
class Published:
    """One version on the branch, as the version selector lists it."""

    version: str
    title: str
    aliases: tuple[str, ...]


@dataclass
class DeployResult:
    """What a deployment did, or the problems that stopped its build."""

    ok: bool
    version: str
    branch: str
    repository: Path | None = None
    default: str = ""
    versions: list[Published] = field(default_factory=list)
    """The branch's versions.json after the deployment, newest first."""
    problems: list[Problem] = field(default_factory=list)
    pushed: bool = False
    selector: bool = False
    """Whether the site was built with Material's version selector and outdated banner."""


def deploy(
    root: Path,
    *,
    version: str,
    aliases: Sequence[str] = (),
    title: str | None = None,
    branch: str = "gh-pages",
    pdf: bool = True,
    push: bool = False,
    remote: str = "origin",
    progress: Callable[[str], None] | None = None,
) -> DeployResult:
    """Build the playbook at ``root`` and publish it as ``version`` (with ``aliases``) on
    ``branch`` of the repository that holds it; the first alias (else the version) becomes
    the default. Runs git in that repository (the working directory is changed meanwhile)."""
    for name in (version, *aliases):
        if not _NAME.match(name):
            raise DeployError(
                f"'{name}' cannot name a published version; use letters, digits, dots, hyphens, e.g. 2026.11"
            )
    if version in aliases:
        raise DeployError(f"'{version}' is both the version and an alias; give the alias another name")
    if not _NAME.match(branch.replace("/", "-")) or not _NAME.match(remote):
        raise DeployError(f"'{branch}' on '{remote}' is not a branch playbookgen publishes to")
    if shutil.which("git") is None:
        raise DeployError("cannot deploy: git is not installed; install git to publish the site")
    try:
        top, _ = locate(root)
    except RevisionError as exc:
        # locate() words it for reading git revisions (diff); say what it means for deploying.
        raise DeployError(
            f"cannot deploy: {root} is not inside a git repository; deploy publishes to a branch of "
            "the playbook's repository (git init, commit the playbook, then deploy)"
        ) from exc
    # Imported here: the site build pulls in MkDocs and its plugins.
    from playbookgen.build import BuildResult, build

    run_build: Callable[..., BuildResult] = build

    with tempfile.TemporaryDirectory(prefix="playbookgen-deploy-") as tmp:
        site = Path(tmp) / "site"
        default = aliases[0] if aliases else version
        built = run_build(root, site, pdf=pdf, progress=progress, version_selector=default)
        if not built.ok:
            return DeployResult(False, version, branch, top, problems=built.problems)
        with contextlib.chdir(top):
            try:
                _publish(site, version, list(aliases), title, branch, remote, default)
                if push:
                    git_utils.push_branch(remote, branch)
                versions = commands.list_versions(branch)
            except (git_utils.GitError, ValueError) as exc:
                raise DeployError(_git_message(exc)) from exc
    listed = [Published(str(v.version), str(v.title), tuple(sorted(v.aliases))) for v in versions]
    return DeployResult(True, version, branch, top, default, listed, built.problems, push, True)


def _publish(
    site: Path, version: str, aliases: list[str], title: str | None, branch: str, remote: str, default: str
) -> None:
    git_utils.update_from_upstream(remote, branch)
    message = f"Publish playbook version {version} with playbookgen {__version__}"
    config = {"site_dir": str(site), "use_directory_urls": True}
    # An empty commit means that exact site is already published: nothing to do.
    deployment = commands.deploy(
        config, version, title, aliases, update_aliases=True, branch=branch, message=message
    )
    with contextlib.suppress(git_utils.GitEmptyCommit), deployment:
        pass  # the site is already built
    with contextlib.suppress(git_utils.GitEmptyCommit):
        commands.set_default(default, branch=branch, message=f"Open version {default} by default")


def _git_message(exc: Exception) -> str:
    text = str(exc)
    if "user.name" in text or "user.email" in text:
        text += " — set git config user.name and user.email (or GIT_COMMITTER_NAME/EMAIL) first"
    return text
