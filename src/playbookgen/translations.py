"""Playbooks in more than one language: which texts are translated, what each translation was
made from, and the playbook as a reader of one language sees it.

A playbook is written in its source language (``languages.source`` in playbook.yaml). Each
other language has a folder ``translations/<language>/`` that mirrors the playbook's files:
``translations/nl/categories/late-delivery.yaml`` holds the Dutch texts of
``categories/late-delivery.yaml``, one entry per text, keyed by where the text is in the source
file, with the text and a short hash of the source text it was made from::

    name:
      text: Te late levering
      from: 5c1f0a9e
    steps.1.do:
      text: Open de bestelling en de track-and-trace van de vervoerder.
      from: 0b7e21d4

Keys are the path of the text in its source file, dots between the parts. A list entry is
named by its identity, so that inserting an entry in the source leaves the translations of
the entries after it where they are: its ``id`` (``cheat_sheets.store-frontline.phrases.0``),
or the key the schema's ``x-match`` names for that list (a recovery script's steps by
``stage``: ``steps.resolve.say.0``; a calendar's holidays by ``date``). Entries of a list
without an identity are named by their place (``examples.2``). Which texts are translated is
said by the schemas (``x-translate``: ``text``, or ``script`` for what staff say to
customers). When the source text changes, its hash no longer matches ``from`` and ``check``
reports the translation as outdated.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import os
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from playbookgen import kinds
from playbookgen.loader import Document, JsonPath, load_file
from playbookgen.problems import Problem
from playbookgen.schema import semantics, translatable, validate

if TYPE_CHECKING:
    from playbookgen.model import Playbook

FOLDER = "translations"
"""The folder of a playbook that holds one folder of translation files per language."""

SCHEMA_KIND = "translation"
"""The schema of a translation file: ``schemas/translation.schema.json``."""


@dataclass(frozen=True)
class Language:
    """A language a playbook is published in: its locale tag (``nl-NL``), the folder of its
    translations and site (``nl``) and its name in itself (``Nederlands``)."""

    tag: str

    @property
    def code(self) -> str:
        return self.tag.split("-")[0]

    @property
    def name(self) -> str:
        try:
            locale = Locale.parse(self.tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            return self.code
        name = locale.language_name or self.code
        return name[:1].upper() + name[1:]

    @property
    def english(self) -> str:
        """Its name in English, for check's messages (``Dutch``)."""
        try:
            return Locale.parse(self.code).get_language_name("en") or self.code
        except (ValueError, UnknownLocaleError):
            return self.code


def languages(settings: dict[str, Any]) -> tuple[Language, list[Language]]:
    """The source language and the other languages of a playbook (none for one language)."""
    configured = settings.get("languages")
    locale = str(settings.get("locale") or "en-GB")
    if not isinstance(configured, dict):
        return Language(locale), []
    source = Language(str(configured.get("source") or locale))
    others = [
        Language(tag)
        for tag in dict.fromkeys(configured.get("translations") or [])
        if isinstance(tag, str) and tag.split("-")[0] != source.code
    ]
    return source, others


def selector(settings: dict[str, Any], current: str) -> list[dict[str, Any]]:
    """The entries of Material's language selector on the site of language ``current`` (none
    for a playbook in one language). The source language's site is at the root, each other
    language's in ``<code>/``; each ``link`` is the root of that language's site relative to
    the current one's, and the theme override adds the page's own path."""
    source, others = languages(settings)
    if not others:
        return []
    entries: list[dict[str, Any]] = []
    for language in (source, *others):
        if language.code == current:
            link = "./"
        elif current == source.code:
            link = f"{language.code}/"
        elif language.code == source.code:
            link = "../"
        else:
            link = f"../{language.code}/"
        entry: dict[str, Any] = {"name": language.name, "link": link, "lang": language.code}
        if language.code == current:
            entry["current"] = True
        entries.append(entry)
    return entries


def text_hash(text: str) -> str:
    """What a translation records of the source text it was made from: 8 hex digits of the
    SHA-256 of the text (NFC), enough to notice any change."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Text:
    """One translatable text of a source file."""

    doc: Document
    path: JsonPath
    key: str
    text: str
    need: str
    """``script`` for what staff say to customers (must be translated), ``text`` otherwise."""

    @property
    def hash(self) -> str:
        return text_hash(self.text)


def texts(playbook: Playbook) -> list[Text]:
    """Every translatable text of the playbook, file by file in file order (made once per
    loaded playbook: the translation rules and the coverage all read it)."""
    cached = _TEXTS.get(id(playbook))
    if cached is not None and cached[0]() is playbook:
        return cached[1]
    found = _texts(playbook)
    key = id(playbook)
    _TEXTS[key] = (weakref.ref(playbook), found)
    weakref.finalize(playbook, _TEXTS.pop, key, None)
    return found


_TEXTS: dict[int, tuple[weakref.ref[Playbook], list[Text]]] = {}


def _texts(playbook: Playbook) -> list[Text]:
    found: list[Text] = []
    for relpath in sorted(playbook.docs):
        kind = playbook.kinds.get(relpath)
        if kind is None:
            continue
        found.extend(doc_texts(playbook.docs[relpath], kind))
    return found


def doc_texts(doc: Document, kind: str) -> Iterator[Text]:
    """The translatable texts of one source file."""
    from playbookgen.model import follow  # model imports this module

    patterns = translatable(kind)
    if not patterns or not isinstance(doc.data, dict):
        return
    identities = identity_keys(kind)
    for pattern, need in patterns.items():
        for path, value in follow(doc.data, pattern):
            if isinstance(value, str) and value.strip():
                yield Text(doc, path, key_of(doc.data, path, identities), value, need)


_KEY_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
"""What a list entry's identity must look like to name it in a key: no dots, no spaces."""


@cache
def identity_keys(kind: str) -> dict[tuple[str, ...], str]:
    """Which key names the entries of a list in a kind of file, by the list's path (``*`` for
    any list index): the key the kinds catalogue matches the list's items by (goodwill limits
    by ``role``) or the schema's ``x-match`` (a recovery script's steps by ``stage``), unless
    that key is itself a translated text (a translation must not lose its place when the
    source is reworded). Entries with an ``id`` are named by it whatever this says."""
    found = dict(semantics(kind).match)
    source = kinds.source(kind) if kind in kinds.names() else None
    for listed in source.lists if source is not None else ():
        found.setdefault((listed.key,), listed.item.match)
    texts_of = translatable(kind)
    return {path: name for path, name in found.items() if (*path, "*", name) not in texts_of}


def key_of(data: Any, path: JsonPath, identities: dict[tuple[str, ...], str] | None = None) -> str:
    """The translation key of the value at ``path``: its keys joined by dots, list entries
    named by their identity — their ``id``, or the key ``identities`` names for that list
    (``steps.resolve.say.0`` rather than ``steps.3.say.0``) — so that inserting an entry in
    the source does not move the translations of the entries after it. An entry without an
    identity, or whose identity is not unique in its list or not a plain word, is named by
    its place."""
    parts: list[str] = []
    pattern: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int):
            entries = node if isinstance(node, list) else []
            node = entries[part] if part < len(entries) else None
            name = "id" if isinstance(node, dict) and "id" in node else (identities or {}).get(tuple(pattern))
            parts.append(_identity(entries, node, name) or str(part))
            pattern.append("*")
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(part)
            pattern.append(part)
    return ".".join(parts)


def _identity(entries: list[Any], entry: Any, name: str | None) -> str | None:
    if name is None or not isinstance(entry, dict):
        return None
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, (str, int, datetime.date)):
        return None
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if not _KEY_PART.match(text) or text.isdigit():
        return None
    same = sum(1 for other in entries if isinstance(other, dict) and other.get(name) == value)
    return text if same == 1 else None


# --- translation files ----------------------------------------------------------------------


@dataclass
class Translations:
    """The translation files of one language, by the source file they translate."""

    language: Language
    files: dict[str, Document] = field(default_factory=dict)
    """Source file's relative path → its translation file."""

    def entry(self, relpath: str, key: str) -> dict[str, Any] | None:
        doc = self.files.get(relpath)
        if doc is None or not isinstance(doc.data, dict):
            return None
        found = doc.data.get(key)
        return found if isinstance(found, dict) and isinstance(found.get("text"), str) else None


def translation_path(language: Language, relpath: str) -> str:
    """Where the translation of a source file lives: ``translations/nl/categories/x.yaml``."""
    return f"{FOLDER}/{language.code}/{relpath}"


def load_translations(root: Path, language: Language) -> tuple[Translations, list[Problem]]:
    """Read and validate every translation file of ``language``."""
    found = Translations(language)
    problems: list[Problem] = []
    base = root / FOLDER / language.code
    if not base.is_dir():
        return found, problems
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            path = Path(folder) / name
            relpath = path.relative_to(root).as_posix()
            doc, loaded = load_file(path, relpath)
            problems.extend(loaded)
            if doc is None:
                continue
            problems.extend(validate(doc, SCHEMA_KIND))
            source = path.relative_to(base).as_posix()
            if kinds.kind_of(source) is None:
                problems.append(
                    doc.problem(
                        (),
                        "translation-unknown",
                        f"translates '{source}', which is not a playbook file; name it after "
                        f"the file it translates (e.g. {FOLDER}/{language.code}/categories/"
                        "late-delivery.yaml)",
                        severity="warning",
                    )
                )
                continue
            found.files[source] = doc
    return found, problems


# --- status ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """How one text stands in one language: ``current``, ``outdated`` or ``missing``."""

    text: Text
    language: Language
    state: str
    entry: dict[str, Any] | None


def statuses(playbook: Playbook, language: Language) -> Iterator[Status]:
    """The state of every translatable text in ``language``."""
    table = playbook.translations.get(language.code)
    for text in texts(playbook):
        entry = table.entry(text.doc.relpath, text.key) if table is not None else None
        if entry is None:
            state = "missing"
        elif entry.get("from") != text.hash:
            state = "outdated"
        else:
            state = "current"
        yield Status(text, language, state, entry)


@dataclass(frozen=True)
class Coverage:
    """How much of the playbook a language has."""

    language: Language
    total: int
    current: int
    outdated: int
    missing_scripts: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.current / self.total)


def coverage(playbook: Playbook) -> list[Coverage]:
    """Coverage of every translated language."""
    result = []
    for language in languages(playbook.settings)[1]:
        found = list(statuses(playbook, language))
        result.append(
            Coverage(
                language,
                len(found),
                sum(s.state == "current" for s in found),
                sum(s.state == "outdated" for s in found),
                sum(s.state == "missing" and s.text.need == "script" for s in found),
            )
        )
    return result


def coverage_lines(playbook: Playbook) -> list[str]:
    """One line per translated language, for ``check``'s report."""
    lines = []
    for cover in coverage(playbook):
        missing = cover.total - cover.current - cover.outdated
        lines.append(
            f"translation {cover.language.code} ({cover.language.english}): {cover.percent}% — "
            f"{cover.current} of {cover.total} texts current, {cover.outdated} outdated, {missing} missing"
        )
    return lines


# --- the playbook in one language -----------------------------------------------------------


def in_language(
    playbook: Playbook, language: Language, untranslated: Callable[[str], str] | None = None
) -> Playbook:
    """The playbook as readers of ``language`` see it: every translated text in place (an
    outdated translation too: it is the best this reader has), every text without a translation
    in the source language passed through ``untranslated`` (which marks it), and the locale of
    the language. Ids, numbers and references are the source's."""
    from playbookgen.model import Item, Playbook

    table = playbook.translations.get(language.code)
    docs: dict[str, Document] = {}
    for relpath, doc in playbook.docs.items():
        kind = playbook.kinds.get(relpath)
        found = list(doc_texts(doc, kind)) if kind is not None else []
        if not found and relpath != "playbook.yaml":
            docs[relpath] = doc
            continue
        data = copy.deepcopy(doc.data)
        for text in found:
            entry = table.entry(relpath, text.key) if table is not None else None
            if entry is not None:
                value = str(entry["text"])
            elif untranslated is not None:
                value = untranslated(text.text)
            else:
                continue
            _set(data, text.path, value)
        if relpath == "playbook.yaml" and isinstance(data, dict):
            data["locale"] = language.tag
        docs[relpath] = Document(doc.path, doc.relpath, data, doc.source, doc.suppressions)
    result = Playbook(playbook.root, docs, dict(playbook.kinds), {}, dict(playbook.translations))
    for kind, bucket in playbook.items.items():
        result.items[kind] = {
            item_id: Item(
                kind, item_id, _get(docs[item.doc.relpath].data, item.path), docs[item.doc.relpath], item.path
            )
            for item_id, item in bucket.items()
        }
    return result


def _get(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: JsonPath, value: str) -> None:
    _get(data, path[:-1])[path[-1]] = value
