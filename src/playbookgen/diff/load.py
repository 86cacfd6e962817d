"""The two sides of a diff: playbooks read from folders or from git revisions, loaded and
refused when they have errors; and the previous version a build compares itself with."""

from __future__ import annotations

from pathlib import Path

from playbookgen.diff.changes import Changelog, DiffError
from playbookgen.diff.compare import compare
from playbookgen.model import Playbook, load_playbook
from playbookgen.problems import has_errors
from playbookgen.revisions import RevisionError, identity, is_revision, playbook_at


def diff_specs(old: str, new: str, *, anchor: Path | None = None) -> Changelog:
    """Compare two playbooks named as folders or ``git:REV``. A revision is read from the
    repository of ``anchor`` (default: whichever side is a folder, else ``playbook``)."""
    if anchor is None:
        folders = [s for s in (new, old) if not is_revision(s)]
        anchor = Path(folders[0]) if folders else Path("playbook")
    try:
        with playbook_at(old, anchor) as old_root, playbook_at(new, anchor) as new_root:
            old_playbook = load_side(old_root, old)
            new_playbook = load_side(new_root, new)
            return compare(old_playbook, new_playbook, old_label=old, new_label=new)
    except RevisionError as exc:
        raise DiffError(str(exc)) from exc


def load_side(root: Path, label: str) -> Playbook:
    """The playbook at ``root``, refused with every error when it cannot be compared."""
    playbook, problems = load_playbook(root)
    if has_errors(problems):
        errors = sorted(p for p in problems if p.severity == "error" and p.suppressed is None)
        raise DiffError(
            f"{label} has {len(errors)} error{'s' * (len(errors) != 1)}; fix them (run playbookgen check) "
            "before comparing",
            errors,
            label,
        )
    return playbook


def previous_changelog(
    playbook_root: Path, *, current: Playbook | None = None
) -> tuple[Changelog | None, str]:
    """The changes since the version named by ``previous`` in playbook.yaml, or None and the
    reason there are none to show. A folder in ``previous`` is relative to the playbook."""
    if current is None:
        current, problems = load_playbook(playbook_root)
        if has_errors(problems):
            return None, "the playbook has errors; run playbookgen check"
    previous = current.settings.get("previous")
    if not isinstance(previous, str) or not previous:
        return None, "playbook.yaml names no previous version (set previous: git:TAG)"
    spec = previous if is_revision(previous) else str(playbook_root / previous)
    try:
        key = identity(spec, playbook_root)
        old = _PREVIOUS.get(key) if key is not None else None
        if old is None:
            with playbook_at(spec, playbook_root) as old_root:
                old = load_side(old_root, previous)
            _PREVIOUS.clear()
            if key is not None:
                _PREVIOUS[key] = old
    except RevisionError as exc:
        return None, f"the previous version {previous} cannot be read: {exc}"
    except DiffError as exc:
        return None, f"the previous version {previous} cannot be compared: {exc}"
    return compare(old, current, old_label=previous, new_label="this version"), ""


_PREVIOUS: dict[str, Playbook] = {}
"""The last previous version read from git, by :func:`revisions.identity`: ``serve`` rebuilds
on every change and a commit never changes."""


def whats_new(playbook_root: Path, *, current: Playbook | None = None) -> Changelog | None:
    """The changes since the previous version, or None when there is none to compare with
    (no ``previous`` in playbook.yaml, or it cannot be read; see :func:`previous_changelog`)."""
    return previous_changelog(playbook_root, current=current)[0]
