"""Translations in and out: a standard PO file of what a language needs, for translators and
their tools (Poedit, Weblate, Crowdin…), and the translation files written back from it.

Each PO message is one text: ``msgctxt`` is the source file and key
(``categories/late-delivery.yaml name``), ``msgid`` the source text, ``msgstr`` the
translation. An outdated translation is exported with its old text and the ``fuzzy`` flag, as
gettext tools expect; importing a fuzzy or empty message changes nothing, so a translator
confirms each text by clearing the flag.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from playbookgen.model import Playbook
from playbookgen.translations import (
    FOLDER,
    Language,
    languages,
    statuses,
    text_hash,
    texts,
    translation_path,
)


class TranslationError(Exception):
    """A usage error: a language the playbook does not have, a file that is not a PO file."""


def language_of(playbook: Playbook, code: str) -> Language:
    """The playbook's language with that code (``nl`` or ``nl-NL``)."""
    for language in languages(playbook.settings)[1]:
        if code in (language.code, language.tag):
            return language
    others = ", ".join(language.code for language in languages(playbook.settings)[1])
    hint = f"it has: {others}" if others else "add it under languages: translations: in playbook.yaml"
    raise TranslationError(f"the playbook is not translated into '{code}'; {hint}")


def export_po(playbook: Playbook, language: Language, *, everything: bool = False) -> bytes:
    """A PO file of the texts ``language`` lacks or has outdated (every text with ``everything``)."""
    source = languages(playbook.settings)[0]
    title = playbook.settings.get("name") or "the playbook"
    catalog = Catalog(
        locale=language.tag.replace("-", "_"),
        project=str(playbook.settings.get("name") or "playbook"),
        version=str(playbook.settings.get("version") or ""),
        language_team=f"{language.name} <{FOLDER}/{language.code}/>",
        charset="utf-8",
        fuzzy=False,
        header_comment=(
            f"# {language.english} ({language.code}) texts of {title} "
            f"to translate from {source.tag}.\n"
            f"# Made by: playbookgen translations export --lang {language.code}\n"
            f"# Fill in msgstr, clear the fuzzy flag of each text you checked, then run\n"
            f"# playbookgen translations import FILE --lang {language.code}"
        ),
    )
    catalog.creation_date = catalog.revision_date = _moment(playbook)
    for status in statuses(playbook, language):
        if status.state == "current" and not everything:
            continue
        text = status.text
        line = text.doc.pos(text.path)[0]
        flags = ["fuzzy"] if status.state == "outdated" else []
        comments = [f"source language: {source.tag}; from: {text.hash}"]
        if text.need == "script":
            comments.append("said to customers: must be translated")
        catalog.add(
            text.text,
            str(status.entry["text"]) if status.entry is not None else "",
            locations=[(text.doc.relpath, line)],
            flags=flags,
            auto_comments=comments,
            context=f"{text.doc.relpath} {text.key}",
        )
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=False)
    return out.getvalue()


def _moment(playbook: Playbook) -> Any:
    from playbookgen.render.print_html import build_moment

    return build_moment(playbook)


@dataclass
class Imported:
    """What an import wrote."""

    files: list[str] = field(default_factory=list)
    texts: int = 0
    skipped: int = 0
    """Empty or fuzzy messages, and messages for texts the playbook no longer has."""


def import_po(playbook: Playbook, language: Language, data: bytes) -> Imported:
    """Write the translated, confirmed messages of a PO file into the language's files."""
    try:
        catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except Exception as error:  # babel raises plain errors for a file that is not PO
        raise TranslationError(f"is not a readable PO file ({error})") from error
    known = {(t.doc.relpath, t.key): t for t in texts(playbook)}
    updates: dict[str, dict[str, dict[str, str]]] = {}
    result = Imported()
    for message in catalog:
        if not message.id or not message.context:
            continue
        relpath, _, key = str(message.context).partition(" ")
        translated = message.string if isinstance(message.string, str) else ""
        if not translated.strip() or message.fuzzy or (relpath, key) not in known:
            result.skipped += 1
            continue
        # The hash of the text the translator saw: if the source changed since the export,
        # check still reports the translation as outdated.
        updates.setdefault(relpath, {})[key] = {"text": translated, "from": text_hash(str(message.id))}
        result.texts += 1
    table = playbook.translations.get(language.code)
    for relpath, entries in sorted(updates.items()):
        existing = table.files.get(relpath) if table is not None else None
        merged: dict[str, Any] = (
            dict(existing.data) if existing is not None and isinstance(existing.data, dict) else {}
        )
        merged.update(entries)
        order = [t.key for t in texts(playbook) if t.doc.relpath == relpath]
        rank = {key: index for index, key in enumerate(order)}
        ordered = dict(sorted(merged.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
        target = playbook.root / translation_path(language, relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(ordered, translation_path(language, relpath), language), encoding="utf-8")
        result.files.append(translation_path(language, relpath))
    return result


def _text_lines(text: str) -> list[str]:
    """``text: …`` as YAML: a long one-line text folded (``>-``) into lines of at most 100
    characters, so that a reworded sentence changes few lines in a review."""
    if len(text) > 80 and "\n" not in text and text == text.strip() and "  " not in text:
        wrapped = textwrap.wrap(text, width=96, break_long_words=False, break_on_hyphens=False)
        if all(not line.startswith(("#", "-", " ")) for line in wrapped):
            return ["text: >-", *(f"  {line}" for line in wrapped)]
    return yaml.safe_dump({"text": text}, allow_unicode=True, width=100).splitlines()


def dump(entries: dict[str, Any], relpath: str, language: Language) -> str:
    """A translation file's text: the schema modeline, then one entry per text."""
    depth = "../" * len(Path(relpath).parts)
    head = (
        f"# yaml-language-server: $schema={depth}schemas/translation.schema.json\n"
        f"# {language.name} ({language.code}) texts of {relpath.split('/', 2)[2]}\n"
    )
    lines = []
    for key, value in entries.items():
        lines.append(f"{key}:")
        lines.extend(f"  {line}" for line in _text_lines(str(value["text"])))
        # Quoted: a hash such as 1e345678 would be read as a number by some YAML tools.
        lines.append(f'  from: "{value["from"]}"')
    return head + "\n".join(lines) + "\n"
