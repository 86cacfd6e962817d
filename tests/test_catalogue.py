"""The message catalogue: every UI string of the templates is in it, the .po files are sound,
and the strings really reach the output through gettext.

After adding or changing a UI string, run ``python scripts/update_catalogue.py``."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup

from playbookgen.model import load_playbook
from playbookgen.render import environment
from playbookgen.render.print_html import print_documents
from playbookgen.render.site import site_files

from .conftest import EXAMPLES, REPO

UPDATE = "run `python scripts/update_catalogue.py` and commit the catalogue"
LOCALES = REPO / "src" / "playbookgen" / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FORMAT_TOKEN = re.compile(r"%%|%\(\w+\)s")
"""What may follow a %: newstyle gettext always %-formats, so any other % would fail."""


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_catalogue", REPO / "scripts" / "update_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _keys(catalog: Catalog) -> set[tuple[object, str | None]]:
    return {(m.id, m.context) for m in catalog if m.id}


def _po_files() -> list[Path]:
    return sorted(LOCALES.glob("*.po"))


def _forms(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return (str(value),) if value else ()


def test_every_message_used_is_in_the_catalogue() -> None:
    used = _keys(_script().extract())
    assert ("Resolve now", None) in used  # extraction itself works
    template = _keys(_read(LOCALES / "messages.pot"))
    assert used - template == set(), f"messages missing from messages.pot: {UPDATE}"
    assert template - used == set(), f"messages.pot lists messages no longer used: {UPDATE}"
    for po in _po_files():
        assert _keys(_read(po)) == template, f"{po.name} is not merged with messages.pot: {UPDATE}"


def test_english_is_complete() -> None:
    english = _read(LOCALES / "en.po")
    assert not english.fuzzy
    incomplete = [m.id for m in english if m.id and (m.fuzzy or not all(_forms(m.string)))]
    assert incomplete == [], f"untranslated or fuzzy in en.po: {UPDATE}"


SHIPPED = ("en", "nl", "vi")
"""The UI languages playbookgen ships complete: a playbook with ``locale: vi-VN`` or ``nl-BE``
reads no English on its pages, PDFs and cheat sheets (only what its own YAML says)."""


@pytest.mark.parametrize("language", SHIPPED)
def test_shipped_catalogues_are_complete(language: str) -> None:
    catalog = _read(LOCALES / f"{language}.po")
    assert catalog.locale is not None and str(catalog.locale) == language
    assert not catalog.fuzzy
    template = _keys(_read(LOCALES / "messages.pot"))
    assert _keys(catalog) == template, f"{language}.po is not merged with messages.pot: {UPDATE}"
    plurals = catalog.num_plurals
    incomplete = [
        m.id
        for m in catalog
        if m.id
        and (m.fuzzy or not all(_forms(m.string)) or (m.pluralizable and len(_forms(m.string)) != plurals))
    ]
    assert incomplete == [], f"{language}.po: untranslated, fuzzy or missing plural forms"
    if language != "en":
        same = [m.id for m in catalog if m.id and not m.pluralizable and m.string == m.id]
        # Codes, formats and loanwords may stay as they are; whole phrases may not.
        phrases = [
            msgid for msgid in same if len(re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", str(msgid)))) > 1
        ]
        assert phrases == [], f"{language}.po leaves these phrases in English"


def _dummy_values(message: Message) -> dict[str, str]:
    return {name: "x" for form in _forms(message.id) for name in PLACEHOLDER.findall(form)}


@pytest.mark.parametrize("path", [LOCALES / "messages.pot", *_po_files()], ids=lambda p: p.name)
def test_catalogue_parses_and_placeholders_match(path: Path) -> None:
    catalog = _read(path)
    for message in catalog:
        if not message.id:
            continue
        names = set(_dummy_values(message))
        for form in _forms(message.id):
            assert "%" not in FORMAT_TOKEN.sub("", form), f"{path.name}: {form!r} needs %% for a literal %"
            form % _dummy_values(message)  # the msgid itself must format
        for translation in _forms(message.string):
            assert "%" not in FORMAT_TOKEN.sub("", translation), f"{path.name}: {translation!r}: stray %"
            used = set(PLACEHOLDER.findall(translation))
            # A plural form may leave the number out ("one item"); a singular message may not.
            expected_ok = used <= names if message.pluralizable else used == names
            assert expected_ok, f"{path.name}: {translation!r} has placeholders {used}, msgid has {names}"
            translation % _dummy_values(message)


def _translations(messages: dict[str | tuple[str, str], str | tuple[str, str]]) -> Translations:
    catalog = Catalog(locale="nl")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every playbookgen Jinja environment gets a small Dutch catalogue."""
    fake = _translations(
        {
            "Resolve now": "Nu oplossen",
            "Level %(level)s": "Niveau %(level)s",
            ("%(count)s question", "%(count)s questions"): ("%(count)s vraag", "%(count)s vragen"),
        }
    )

    def translated(*args: Any, **kwargs: Any) -> Any:
        return environment(*args, **{**kwargs, "translations": fake})

    patched = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("playbookgen.render.") and getattr(module, "environment", None) is environment:
            monkeypatch.setattr(module, "environment", translated)
            patched += 1
    assert patched, "no rendering module uses playbookgen.render.environment any more"
    yield


def test_a_translation_changes_the_site(dutch: None) -> None:
    playbook, problems = load_playbook(EXAMPLES / "site-small")
    assert not problems
    files = site_files(playbook).files
    category = files["docs/categories/missing-item.md"]
    assert "## Nu oplossen" in category
    assert "[Nu oplossen](#resolve-now)" in category
    assert "Resolve now" not in category
    assert "### Niveau 1 · " in files["docs/escalation.md"]


def test_a_translation_changes_the_print_documents(dutch: None) -> None:
    playbook, problems = load_playbook(EXAMPLES / "site-small")
    assert not problems
    docs = {doc.relpath: doc.html for doc in print_documents(playbook)}
    sheets = [html for path, html in docs.items() if path.startswith("cheat-sheets/")]
    assert sheets and all("Resolve now" not in html for html in sheets)
    assert any(">Nu oplossen<" in html for html in sheets)
    trainee = next(html for path, html in docs.items() if path.endswith("-trainee.pdf"))
    assert "<span>1 vraag</span>" in trainee  # ngettext picks the singular for one question


def test_placeholders_are_finalized_like_printed_values(tmp_path: Path) -> None:
    """A value formatted into a message comes out as ``{{ value }}`` would (the site escapes
    braces in its finalize, so a message must not be a way around it)."""

    def finalize(value: object) -> object:
        return value.upper() if isinstance(value, str) and not isinstance(value, Markup) else value

    env = environment(tmp_path, "site", finalize=finalize)
    template = env.from_string('{{ _("Owner: %(name)s", name=who) }} / {{ who }}')
    assert template.render(who="<bob>") == "Owner: &lt;BOB&gt; / &lt;BOB&gt;"


def test_catalogue_is_up_to_date() -> None:
    assert _script().update(write=False) == [], f"the catalogue is out of date: {UPDATE}"
