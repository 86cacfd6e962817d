"""When each source file of the playbook last changed, from git: read by the build (it runs
git) and handed to the site renderer, which does no I/O of its own.

A page's date is the commit date of the last commit that touched its source file (for a page
in another language, also that file's translation). Commit dates are stored in the commits,
so the same repository gives the same dates on every machine and every day. A file with
changes not yet committed, or a playbook outside git, has no date: the page says so, without
naming any folder of the machine. A shallow clone (CI often makes one) lacks the older history:
git shows its oldest commit as adding every file, so a file last touched there has changed on
or before that commit's date, and its page says so rather than give that date as the day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from playbookgen.revisions import RevisionError, git_output, locate
from playbookgen.translations import FOLDER


@dataclass(frozen=True)
class Changed:
    """When a page's source last changed: ``date`` (YYYY-MM-DD) of the last commit touching
    it, and whether some of it is not committed yet (``pending``)."""

    date: str | None = None
    pending: bool = False
    in_git: bool = True
    or_before: bool = False
    """The history is cut short (a shallow clone): the change was on ``date`` or before it."""


@dataclass(frozen=True)
class LastChanged:
    """The last commit date of every committed file under the playbook folder (paths relative
    to it) and the files with changes not yet committed; ``in_git`` False outside a repository."""

    dates: dict[str, str] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()
    in_git: bool = False
    cut: frozenset[str] = frozenset()
    """Files whose date is that of the oldest commit of a shallow clone (changed on or before)."""
    translations: str = ""
    """For the site of another language: the folder of its translations (``translations/nl/``),
    whose file of a page's source counts as part of the page."""

    def in_language(self, code: str) -> LastChanged:
        """The same dates, for the site of language ``code``."""
        return replace(self, translations=f"{FOLDER}/{code}/")

    def page(self, source: str) -> Changed:
        """When the page made from ``source`` last changed (with its translation, if any)."""
        return self.of([source, f"{self.translations}{source}" if self.translations else ""])

    def of(self, relpaths: Iterable[str]) -> Changed:
        """When the files ``relpaths`` (a page's source and its translation) last changed:
        the latest commit date among them; pending when any of them is not committed."""
        if not self.in_git:
            return Changed(None, False, in_git=False)
        paths = [p for p in relpaths if p]
        dated = sorted((self.dates[p], p not in self.cut) for p in paths if p in self.dates)
        pending = any(p in self.pending for p in paths)
        if not dated:
            return Changed(None, pending)
        date, exact = dated[-1]
        return Changed(date, pending, or_before=not exact)


NOT_IN_GIT = LastChanged()


def read_last_changed(root: Path) -> LastChanged:
    """The last commit date of every file under the playbook folder ``root``, read with two
    git commands (one walk of the history, one status); outside git, an empty answer."""
    try:
        top, prefix = locate(root)
        where = prefix.rstrip("/") or "."
        log = git_output(top, "log", "--format=%x01%cs %H", "--name-only", "--no-renames", "-z", "--", where)
        status = git_output(top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", where)
        shallow = _boundary(top)
    except RevisionError:
        return NOT_IN_GIT
    dates: dict[str, str] = {}
    cut: set[str] = set()
    date, boundary = "", False
    for token in log.decode("utf-8", "replace").split("\0"):
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            date, _, commit = token[1:].partition(" ")
            boundary = commit in shallow
        elif token and date and token.startswith(prefix):
            relpath = token[len(prefix) :]
            if relpath not in dates:
                dates[relpath] = date
                if boundary:
                    cut.add(relpath)
    pending: set[str] = set()
    entries = status.decode("utf-8", "replace").split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            index += 1  # a rename or copy is followed by its old path
        if path.startswith(prefix):
            pending.add(path[len(prefix) :])
    return LastChanged(dates, frozenset(pending), in_git=True, cut=frozenset(cut))


def _boundary(top: Path) -> frozenset[str]:
    """The commits where a shallow clone's history is cut (none in a full clone)."""
    where = git_output(top, "rev-parse", "--git-path", "shallow").decode("utf-8", "replace").strip()
    path = top / where
    try:
        return frozenset(path.read_text(encoding="ascii", errors="replace").split())
    except OSError:
        return frozenset()
