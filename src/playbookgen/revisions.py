"""Playbooks named on the command line: a folder, or ``git:REV`` — the playbook folder as it
was at a git revision, exported into a temporary folder.

A revision is resolved in the repository that holds the *anchor* (the playbook folder in the
working tree), at the anchor's place in that repository: ``git:v2026.10`` next to
``playbook/`` means ``playbook/`` as tagged ``v2026.10``. Git runs with argument lists only.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GIT_PREFIX = "git:"


class RevisionError(Exception):
    """A playbook that cannot be found: no such folder, revision or repository."""


def is_revision(spec: str) -> bool:
    return spec.startswith(GIT_PREFIX)


@contextmanager
def playbook_at(spec: str, anchor: Path) -> Iterator[Path]:
    """The folder of the playbook named by ``spec`` (a folder, or ``git:REV`` resolved next to
    ``anchor``); a revision lives in a temporary folder removed on exit."""
    if not is_revision(spec):
        folder = Path(spec)
        if not folder.is_dir():
            raise RevisionError(f"{spec}: no such folder")
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="playbookgen-rev-") as tmp:
        yield export(spec[len(GIT_PREFIX) :], anchor, Path(tmp))


def identity(spec: str, anchor: Path) -> str | None:
    """What ``spec`` names, exactly: the repository, commit and folder of a ``git:REV``
    (so a moved branch names something else), or None for a folder, which can change."""
    if not is_revision(spec):
        return None
    top, prefix = locate(anchor)
    return f"{top}\0{_resolve(top, spec[len(GIT_PREFIX) :])}\0{prefix}"


def export(rev: str, anchor: Path, dest: Path) -> Path:
    """Write the tree of ``anchor``'s folder at revision ``rev`` into ``dest``; return the
    exported playbook folder inside ``dest``."""
    if not rev or rev.startswith("-"):
        raise RevisionError(f"'{GIT_PREFIX}{rev}' does not name a git revision; write e.g. git:v2026.10")
    top, prefix = locate(anchor)
    commit = _resolve(top, rev)
    listing = _git(top, "ls-tree", "--name-only", commit, "--", prefix.rstrip("/") or ".")
    if prefix and not listing.strip():
        raise RevisionError(f"the folder '{prefix.rstrip('/')}' does not exist at git revision '{rev}'")
    archive = _git_bytes(top, "archive", "--format=tar", commit, "--", prefix or ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    folder = dest / prefix
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def locate(anchor: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding ``anchor`` and the anchor's path inside it
    (``playbook/``, or ``""`` at the top). The anchor itself need not exist any more."""
    existing = anchor.resolve()
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    try:
        top = Path(_git(existing, "rev-parse", "--show-toplevel").strip()).resolve()
    except RevisionError as exc:
        raise RevisionError(
            f"{anchor} is not inside a git repository, so git revisions cannot be read"
        ) from exc
    relative = anchor.resolve().relative_to(top).as_posix()
    return top, "" if relative == "." else f"{relative}/"


def _resolve(top: Path, rev: str) -> str:
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    if not commit:
        raise RevisionError(f"git revision '{rev}' was not found in the repository at {top}")
    return commit


def git_output(cwd: Path, *args: str) -> bytes:
    """What ``git args…`` writes, run in ``cwd`` (an argument list, no shell); raises
    :class:`RevisionError` when git is missing or fails."""
    return _git_bytes(cwd, *args)


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args, allow_fail=args[:1] == ("rev-parse",) and "--quiet" in args).decode(
        "utf-8", "replace"
    )


def _git_bytes(cwd: Path, *args: str, allow_fail: bool = False) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed; install git to compare git revisions") from exc
    if result.returncode != 0 and not allow_fail:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]} failed: {message[-1] if message else result.returncode}")
    return result.stdout if result.returncode == 0 else b""
