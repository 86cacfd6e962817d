"""Translation changes, reported apart from policy changes: a reworded Dutch sentence changes
what Dutch readers read, not the policy, so it is never counted as a policy change (nor makes
``diff --exit-code`` fail), but reviewers still see it."""

from __future__ import annotations

from dataclasses import dataclass

from playbookgen.diff.words import class_word
from playbookgen.model import Playbook
from playbookgen.translations import Status, Translations, languages, statuses
from playbookgen.wording import ENGLISH, Wording

TRANSLATION_CLASSES = ("added", "removed", "reworded", "outdated")
"""``outdated``: the source text changed and the translation was not (yet) brought along."""


@dataclass(frozen=True)
class TranslationChange:
    """One translated text that changed between the two versions."""

    language: str
    relpath: str
    key: str
    cls: str

    def summary(self) -> str:
        return f"{self.relpath} {self.key}"


def translation_changes(old: Playbook, new: Playbook) -> list[TranslationChange]:
    """What changed in the translations, language by language, in file and key order."""
    found: list[TranslationChange] = []
    codes = [language.code for language in languages(new.settings)[1]]
    codes += [language.code for language in languages(old.settings)[1] if language.code not in codes]
    for code in codes:
        before = _entries(old.translations.get(code))
        after = _entries(new.translations.get(code))
        for where in sorted(before.keys() | after.keys()):
            if where not in before:
                found.append(TranslationChange(code, *where, "added"))
            elif where not in after:
                found.append(TranslationChange(code, *where, "removed"))
            elif before[where] != after[where]:
                found.append(TranslationChange(code, *where, "reworded"))
        language = next((lang for lang in languages(new.settings)[1] if lang.code == code), None)
        if language is None:
            continue
        was_outdated = {
            (s.text.doc.relpath, s.text.key) for s in statuses(old, language) if s.state == "outdated"
        }
        for status in statuses(new, language):
            where = (status.text.doc.relpath, status.text.key)
            if (
                status.state == "outdated"
                and where not in was_outdated
                and before.get(where) == after.get(where)
            ):
                found.append(TranslationChange(code, *where, "outdated"))
    return sorted(found, key=lambda c: (c.language, c.relpath, c.key, c.cls))


def _where(status: Status) -> tuple[str, str]:
    return status.text.doc.relpath, status.text.key


def _entries(table: Translations | None) -> dict[tuple[str, str], str]:
    if table is None:
        return {}
    found: dict[tuple[str, str], str] = {}
    for relpath, doc in table.files.items():
        if isinstance(doc.data, dict):
            for key, entry in doc.data.items():
                if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                    found[(relpath, key)] = entry["text"]
    return found


def translation_lines(changes: list[TranslationChange], words: Wording = ENGLISH) -> list[str]:
    """The text report's section of translation changes (none when nothing changed)."""
    if not changes:
        return []
    width = max(9, *(len(class_word(c.cls, words)) for c in changes))
    lines = ["", words._("Translations (not policy changes)")]
    lines += [f"  {c.language} {class_word(c.cls, words):<{width}} {c.summary()}" for c in changes]
    return lines


def translation_markdown(
    changes: list[TranslationChange], heading: str, words: Wording = ENGLISH
) -> list[str]:
    """The Markdown report's section of translation changes."""
    if not changes:
        return []
    columns = (words._("Language"), words._("Text"), words._("Change"))
    lines = [
        "",
        f"{heading} {words._('Translations (not policy changes)')}",
        "",
        "| " + " | ".join(columns) + " |",
        "|---|---|---|",
    ]
    lines += [f"| {c.language} | `{c.relpath}` `{c.key}` | {class_word(c.cls, words)} |" for c in changes]
    return lines
