"""What's new since the previous version: read by the build (it runs git and loads the
previous playbook) and handed to the site renderer, which does no I/O of its own.

Whatever is said about a previous version that cannot be read goes onto a published page,
so it names the version as ``playbook.yaml`` writes it, never a folder of the machine.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path

from playbookgen.diff import Changelog, previous_changelog, render_markdown
from playbookgen.model import Playbook
from playbookgen.problems import Problem
from playbookgen.revisions import GIT_PREFIX, RevisionError, identity, is_revision, locate
from playbookgen.text import inline
from playbookgen.wording import ENGLISH, N_, Wording

NO_PREVIOUS = N_("playbook.yaml names no previous version (set previous: git:TAG)")


@dataclass(frozen=True)
class WhatsNew:
    """The changes since the previous version, or the reason there are none to show."""

    changelog: Changelog | None
    reason: str = ""

    def markdown(self, heading_level: int = 2, words: Wording | None = None) -> str:
        """The section as Markdown with every piece of playbook text escaped, or a sentence
        saying why there is nothing to show, all in ``words``' language and formats (by default the
        changelog's: the playbook's locale)."""
        if words is None:
            words = self.changelog.words if self.changelog is not None else ENGLISH
        if self.changelog is not None:
            since = self.changelog.old.version or self.changelog.old.label
            title = words._("What's new since %(version)s", version=since)
            changelog = self.changelog.in_words(words)
            return render_markdown(changelog, heading_level=heading_level, title=title)
        reason = words._(NO_PREVIOUS) if self.reason == NO_PREVIOUS else self.reason
        return words._("No comparison with an earlier version: %(reason)s.", reason=inline(reason)) + "\n"


def previous_spec(playbook: Playbook) -> str | None:
    """The previous version as ``playbook.yaml`` names it, if it names one."""
    previous = playbook.settings.get("previous")
    return previous if isinstance(previous, str) and previous else None


def unread(playbook: Playbook) -> WhatsNew:
    """What's new for a site rendered without the build having read the previous version."""
    previous = previous_spec(playbook)
    if previous is None:
        return WhatsNew(None, NO_PREVIOUS)
    return WhatsNew(None, f"the previous version {previous} was not read for this rendering")


def read_whats_new(playbook: Playbook) -> tuple[WhatsNew, list[Problem]]:
    """Compare a checked playbook with its previous version. When that version cannot be
    read: the reason, and a warning at ``previous`` in playbook.yaml saying what to do."""
    previous = previous_spec(playbook)
    if previous is None:
        return WhatsNew(None, NO_PREVIOUS), []
    unreadable = _unreadable(playbook.root, previous)
    if unreadable is None:
        try:
            changelog, reason = previous_changelog(playbook.root, current=playbook)
        except (OSError, tarfile.TarError) as exc:
            # An archive git could not write or extract: say so rather than fail the build.
            changelog, reason = None, f"{type(exc).__name__}: {exc}"
        if changelog is not None:
            return WhatsNew(changelog), []
        unreadable = _diff_reason(reason, previous, playbook.root)
    detail, advice = unreadable
    reason = f"the previous version {previous} cannot be read: {detail}"
    doc = playbook.docs.get("playbook.yaml")
    message = f"{reason}, so What's new shows no changes; {advice}"
    if doc is not None:
        problem = doc.problem(("previous",), "previous-version-unreadable", message, severity="warning")
    else:
        problem = Problem("playbook.yaml", 1, 1, "previous-version-unreadable", "warning", message)
    return WhatsNew(None, reason), [problem]


def _unreadable(root: Path, previous: str) -> tuple[str, str] | None:
    """Why ``previous`` cannot be read and what to do, for the usual reasons; None when it
    looks readable."""
    if not is_revision(previous):
        if not (root / previous).is_dir():
            return (
                f"there is no folder {previous} (relative to the playbook folder)",
                "correct previous: in playbook.yaml",
            )
        return None
    try:
        locate(root)
    except RevisionError:
        return (
            "the playbook folder is not in a git repository",
            "build from a git clone of the playbook, or name a folder in previous:",
        )
    try:
        identity(previous, root)
    except RevisionError:
        revision = previous[len(GIT_PREFIX) :]
        return (
            f"git revision '{revision}' is not in the playbook's repository",
            "fetch it (a shallow CI checkout has no older tags: fetch-depth: 0) or correct previous: "
            "in playbook.yaml",
        )
    return None


def _diff_reason(reason: str, previous: str, root: Path) -> tuple[str, str]:
    """The diff's reason for not comparing, worded for the build and without machine paths."""
    detail = reason
    for verb in ("read", "compared"):
        detail = detail.removeprefix(f"the previous version {previous} cannot be {verb}: ")
    if "before comparing" in detail:
        return "it has errors of its own", f"run playbookgen check on {previous} to see them"
    return _without_machine_paths(detail, root), "correct previous: in playbook.yaml"


def _without_machine_paths(text: str, root: Path) -> str:
    """``text`` with the playbook's folder and its repository's folder named, not spelled out."""
    places: list[tuple[str, str]] = []
    try:
        top, _ = locate(root)
        places.append((str(top), "the playbook's repository"))
    except RevisionError:
        pass
    for folder in {root.resolve(), root.absolute()}:
        places.append((str(folder), "the playbook folder"))
    for path, name in sorted(places, key=lambda p: -len(p[0])):
        text = text.replace(path, name)
    return text
