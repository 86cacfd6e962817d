"""The changelog as a report: text for a terminal, Markdown for a pull request or a site
page, JSON for tools; and the site's "What's new" section."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from playbookgen.diff.changes import Change, Changelog
from playbookgen.diff.load import previous_changelog
from playbookgen.diff.translations import translation_lines, translation_markdown
from playbookgen.diff.words import class_word, counts_line, doc_name, groups
from playbookgen.model import Playbook
from playbookgen.text import inline
from playbookgen.wording import ENGLISH

FORMATS = ("text", "markdown", "json")


def render(changelog: Changelog, fmt: str) -> str:
    """The changelog as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps([c.as_dict() for c in changelog.changes], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(changelog)
    return render_text(changelog)


def grouped(changelog: Changelog) -> Iterator[tuple[str, list[Change]]]:
    """The changes of each group that has any, with the group heading, in report order."""
    for kind, heading in groups(changelog.words).items():
        changes = [c for c in changelog.changes if c.kind == kind]
        if changes:
            yield heading, changes


def render_text(changelog: Changelog) -> str:
    """The changelog for a terminal."""
    words = changelog.words
    old, new = changelog.old.describe(words), changelog.new.describe(words)
    lines = [words._("Playbook changes: %(old)s → %(new)s", old=old, new=new), counts_line(changelog)]
    width = max(10, *(len(class_word(c.cls, words)) for c in changelog.changes)) if changelog.changes else 10
    for heading, changes in grouped(changelog):
        lines += ["", heading]
        for change in changes:
            lines.append(f"  {class_word(change.cls, words):<{width}} {change.summary}")
            if change.affects.training:
                modules = ", ".join(changelog.name("training", t) for t in change.affects.training)
                lines.append(f"  {'':<{width}} " + words._("retrain: %(modules)s", modules=modules))
    retrain, reprint = changelog.retrain(), changelog.reprint()
    if retrain:
        lines += ["", words._("Retrain")]
        for module, changes in retrain:
            count = words.n_("%(num)s change", "%(num)s changes", len(changes))
            lines.append(f"  {changelog.name('training', module)} ({module}): {count}")
    if reprint:
        lines += ["", words._("Reprint")]
        lines += [f"  {doc_name(changelog, kind, item_id)} ({item_id})" for kind, item_id in reprint]
    lines += translation_lines(changelog.translations, words)
    return "\n".join(lines) + "\n"


def render_markdown(changelog: Changelog, *, heading_level: int = 2, title: str | None = None) -> str:
    """The changelog as Markdown: fit for a pull-request comment and for a site page (every
    piece of playbook text is escaped). ``heading_level`` is the level of the top heading."""
    h = "#" * heading_level
    sub = "#" * (heading_level + 1)
    words = changelog.words
    old, new = changelog.old, changelog.new
    if title is None:
        same = old.version == new.version
        before = old.label if same or not old.version else old.version
        after = new.label if same or not new.version else new.version
        title = words._("Playbook changes: %(old)s → %(new)s", old=before, new=after)
    comparing = words._(
        "Comparing %(old)s with %(new)s.", old=inline(old.describe(words)), new=inline(new.describe(words))
    )
    lines = [
        f"{h} {inline(title)}",
        "",
        comparing,
        "",
        f"**{counts_line(changelog)}**" if changelog.changes else counts_line(changelog),
    ]
    columns = (words._("Change"), words._("Class"), words._("Retrain"))
    for heading, changes in grouped(changelog):
        lines += ["", f"{sub} {heading}", "", "| " + " | ".join(columns) + " |", "|---|---|---|"]
        for change in changes:
            training = ", ".join(changelog.name("training", t) for t in change.affects.training)
            cls = class_word(change.cls, words)
            lines.append(f"| {inline(change.summary)} | {cls} | {inline(training) or '—'} |")
    retrain, reprint = changelog.retrain(), changelog.reprint()
    if retrain:
        lines += ["", f"{sub} {words._('Retrain')}", ""]
        for module, changes in retrain:
            count = words.n_("%(num)s change", "%(num)s changes", len(changes))
            lines.append(f"- **{inline(changelog.name('training', module))}** (`{module}`): {count}")
            lines += [f"    - {inline(c.summary)}" for c in changes]
    if reprint:
        lines += ["", f"{sub} {words._('Reprint')}", ""]
        lines += [f"- {inline(doc_name(changelog, kind, i))} (`{i}`)" for kind, i in reprint]
    lines += translation_markdown(changelog.translations, sub, words)
    return "\n".join(lines) + "\n"


def whats_new_markdown(
    playbook_root: Path, *, current: Playbook | None = None, heading_level: int = 1
) -> str:
    """The "What's new" section: the changelog since the previous version under a heading,
    or a sentence saying why there is none."""
    changelog, reason = previous_changelog(playbook_root, current=current)
    if changelog is not None:
        since = changelog.old.version or changelog.old.label
        words = changelog.words
        title = words._("What's new since %(version)s", version=since)
        return render_markdown(changelog, heading_level=heading_level, title=title)
    return ENGLISH._("No comparison with an earlier version: %(reason)s.", reason=inline(reason)) + "\n"
