"""Playbooks in more than one language: the pages of each language (goldens), the site per
language and its language selector, the "not yet translated" mark, and translations out to a
PO file and back."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from playbookgen.build import build, translated_playbooks
from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.render.site import site_files
from playbookgen.translations import (
    FOLDER,
    Language,
    coverage,
    identity_keys,
    in_language,
    key_of,
    selector,
    statuses,
)

from .conftest import REFERENCE

NL = Language("nl-NL")
GOLDENS = Path(__file__).resolve().parent / "goldens" / "languages"
GOLDEN_PAGES = (
    "mkdocs.yml",
    "docs/categories/late-delivery.md",
    "docs/categories/returns.md",
    "docs/recovery/late-delivery-chat.md",
)
"""The pages compared in each language: a category (one with its outdated step), a recovery
script, and mkdocs.yml (language, search language, language selector)."""


def test_reference_pages_in_english_and_dutch_match_goldens() -> None:
    checked = check(REFERENCE)
    assert checked.ok, checked.problems
    playbook = checked.playbook
    languages = [("en", playbook), *((lang.code, pb) for lang, pb in translated_playbooks(playbook))]
    assert [code for code, _ in languages] == ["en", "nl"]
    found: dict[str, str] = {}
    for code, translated in languages:
        files = site_files(translated, alternates=selector(playbook.settings, code)).files
        found.update({f"{code}/{path}": files[path] for path in GOLDEN_PAGES})
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        shutil.rmtree(GOLDENS, ignore_errors=True)
        for relpath, text in found.items():
            target = GOLDENS / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    expected = {
        path.relative_to(GOLDENS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(GOLDENS.rglob("*"))
        if path.is_file()
    }
    assert sorted(found) == sorted(expected), "set PLAYBOOKGEN_UPDATE_GOLDENS=1 to accept new files"
    for relpath, text in found.items():
        assert text == expected[relpath], f"{relpath} differs from its golden"


def test_dutch_pages_are_dutch_and_english_pages_are_untouched() -> None:
    nl = (GOLDENS / "nl/docs/categories/late-delivery.md").read_text(encoding="utf-8")
    en = (GOLDENS / "en/docs/categories/late-delivery.md").read_text(encoding="utf-8")
    assert "title: Te late levering" in nl and "title: Late delivery" in en
    assert "Open de bestelling en de track-and-trace; vraag of de klant een deadline heeft" in nl
    assert "not yet translated" not in nl  # the reference is complete in Dutch
    config = yaml.safe_load((GOLDENS / "nl/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "nl"
    assert config["plugins"][0] == {
        "search": {
            "lang": "nl",
            "fields": {"title": {"boost": 5}, "text": {"boost": 1}, "tags": {"boost": 1}},
        }
    }
    assert config["extra"]["alternate"] == [
        {"name": "English", "link": "../", "lang": "en"},
        {"name": "Nederlands", "link": "./", "lang": "nl", "current": True},
    ]
    # The outdated translation is still shown (the best the Dutch reader has), in Dutch.
    returns = (GOLDENS / "nl/docs/recovery/late-delivery-chat.md").read_text(encoding="utf-8")
    assert "Bedankt voor je bericht — ik heb je bestelling nu voor me." in returns


def test_a_text_without_translation_shows_the_source_text_marked() -> None:
    playbook = check(REFERENCE).playbook
    nl = Language("nl-NL")
    table = playbook.translations["nl"]
    saved = table.files.pop("categories/late-delivery.yaml")
    try:
        translated = in_language(playbook, nl, lambda text: "[EN: not yet translated] " + text)
    finally:
        table.files["categories/late-delivery.yaml"] = saved
    category = translated.get("category", "late-delivery")
    assert category is not None
    assert category.data["name"] == "[EN: not yet translated] Late delivery"
    assert category.data["steps"][0]["owner"] == "bpo-agent-chat"  # ids are never translated
    assert translated.settings["locale"] == "nl-NL"
    assert playbook.get("category", "late-delivery").data["name"] == "Late delivery"  # type: ignore[union-attr]
    assert translated.get("category", "returns").data["name"] == "Retourneren en ruilen"  # type: ignore[union-attr]


def test_coverage_counts_current_outdated_and_missing() -> None:
    [dutch] = coverage(check(REFERENCE).playbook)
    assert (dutch.language.code, dutch.total, dutch.current, dutch.outdated) == ("nl", 2365, 2364, 1)
    assert dutch.missing_scripts == 0


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_export_lists_what_needs_translating_and_import_brings_it_back(tmp_path: Path) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REFERENCE, playbook)
    po = tmp_path / "nl.po"
    assert _cli("translations", "export", str(playbook), "--lang", "nl", "--out", str(po))[0] == 0
    catalog = read_po(io.BytesIO(po.read_bytes()))
    [outdated] = [message for message in catalog if message.id]
    assert outdated.context == "categories/returns.yaml steps.1.do"
    assert outdated.fuzzy and outdated.string.startswith("Binnen de termijn: boek de retour")
    assert outdated.locations == [("categories/returns.yaml", 51)]
    # The translator updates the text and clears the flag; check is then clean.
    outdated.string = outdated.string.replace(
        "het gratis retourlabel,",
        "het gratis retourlabel (of de QR-code om zonder label af te geven bij een pakketpunt),",
    )
    outdated.flags.discard("fuzzy")
    with po.open("wb") as out:
        write_po(out, catalog, width=0)
    code, output = _cli("translations", "import", str(po), str(playbook), "--lang", "nl")
    assert (code, output.splitlines()[-1]) == (0, "1 texts imported, 0 left out (empty, fuzzy or unknown)")
    code, output = _cli("check", str(playbook))
    assert code == 0
    # Only the reference's other showcase warning (a review postponed) is left.
    assert "translation-" not in output, output
    assert "translation nl (Dutch): 100% — 2365 of 2365 texts current, 0 outdated, 0 missing" in output


def test_every_translation_round_trips_through_a_po_file(tmp_path: Path) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REFERENCE, playbook)
    po = tmp_path / "all.po"
    assert _cli("translations", "export", str(playbook), "--lang", "nl", "--all", "--out", str(po))[0] == 0
    catalog = read_po(io.BytesIO(po.read_bytes()))
    assert len([m for m in catalog if m.id]) == 2365
    # The outdated one is exported fuzzy, so importing leaves it out: keep its file's entry.
    before = {path.relative_to(playbook): path.read_bytes() for path in (playbook / FOLDER).rglob("*.yaml")}
    shutil.rmtree(playbook / FOLDER)
    code, output = _cli("translations", "import", str(po), str(playbook), "--lang", "nl")
    assert code == 0
    assert output.splitlines()[-1] == "2364 texts imported, 1 left out (empty, fuzzy or unknown)"
    after = {path.relative_to(playbook): path.read_bytes() for path in (playbook / FOLDER).rglob("*.yaml")}
    assert sorted(after) == sorted(before)
    changed = [str(path) for path in before if before[path] != after[path]]
    assert changed == ["translations/nl/categories/returns.yaml"]
    missing = before[Path("translations/nl/categories/returns.yaml")].decode().split("steps.1.do:")[1]
    assert "steps.1.do:" not in after[Path("translations/nl/categories/returns.yaml")].decode()
    assert missing.startswith("\n  text: >-\n    Binnen de termijn")


def test_export_refuses_a_language_the_playbook_does_not_have(tmp_path: Path) -> None:
    code, output = _cli("translations", "export", str(REFERENCE), "--lang", "vi")
    assert code == 2
    assert "the playbook is not translated into 'vi'; it has: nl" in output


def test_build_makes_one_site_per_language_with_a_selector_to_the_same_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(REFERENCE, out, pdf=False)
    assert result.ok, result.problems
    english = (out / "categories/late-delivery/index.html").read_text(encoding="utf-8")
    dutch = (out / "nl/categories/late-delivery/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and '<html lang="nl"' in dutch
    assert "<h1" in dutch and "Te late levering" in dutch
    links = re.compile(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*target="_self"')
    assert links.findall(english) == [
        ("../.././categories/late-delivery/", "en"),
        ("../../nl/categories/late-delivery/", "nl"),
    ]
    assert links.findall(dutch) == [
        ("../../../categories/late-delivery/", "en"),
        ("../.././categories/late-delivery/", "nl"),
    ]
    index = yaml.safe_load((out / "nl/search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]
    assert any(doc["location"] == "categories/late-delivery/" for doc in index["docs"])
    pages = [p.relative_to(out).parts for p in out.glob("**/index.html")]
    english_pages = sum(1 for parts in pages if parts[0] != "nl")
    dutch_pages = sum(1 for _ in (out / "nl").glob("**/index.html"))
    assert english_pages == dutch_pages and result.pages == english_pages + dutch_pages


def test_offline_bundle_links_each_language_to_the_same_page_file(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = build(REFERENCE, out, pdf=False, offline=True)
    assert result.ok, result.problems
    dutch = (out / "nl/categories/late-delivery.html").read_text(encoding="utf-8")
    assert '<a href="../../categories/late-delivery.html" hreflang="en"' in dutch
    assert (out / "nl/search/search_index.js").is_file()


@pytest.mark.parametrize("code", ["nl"])
def test_dutch_site_source_names_its_language(code: str) -> None:
    settings = check(REFERENCE).playbook.settings
    assert [entry["lang"] for entry in selector(settings, code)] == ["en", "nl"]
    assert selector({"locale": "en-GB"}, "en") == []


def test_diff_reports_translation_changes_apart_from_policy_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(REFERENCE, old)
    shutil.copytree(REFERENCE, new)
    dutch = new / "translations/nl/categories/late-delivery.yaml"
    dutch.write_text(
        dutch.read_text(encoding="utf-8").replace("text: Te late levering", "text: Late levering")
    )
    code, output = _cli("diff", str(old), str(new), "--exit-code")
    assert code == 0, output  # a reworded translation is not a policy change
    assert output.splitlines()[1:] == [
        "No policy changes.",
        "",
        "Translations (not policy changes)",
        "  nl reworded  categories/late-delivery.yaml name",
    ]
    english = new / "categories/late-delivery.yaml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("name: Late delivery", "name: Late parcel")
    )
    code, output = _cli("diff", str(old), str(new), "--exit-code", "--format", "markdown")
    assert code == 1
    assert "| nl | `categories/late-delivery.yaml` `name` | reworded |" in output
    assert "Category 'Late delivery': renamed" in output or "Late parcel" in output


def test_a_language_site_that_fails_stops_the_build_and_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbookgen import build as build_module
    from playbookgen.problems import PlaybookError, Problem

    real = build_module.run_mkdocs

    def failing(playbook: Any, config: Path, site_dir: Path, files: Any, **options: Any) -> None:
        if site_dir.name.endswith("-nl"):  # the Dutch site, built in a child process
            raise PlaybookError(
                [Problem("mkdocs.yml", 1, 1, "site-build", "error", "MkDocs: broken in Dutch")]
            )
        real(playbook, config, site_dir, files, **options)

    monkeypatch.setattr(build_module, "run_mkdocs", failing)
    out = tmp_path / "site"
    result = build(REFERENCE, out, pdf=False)
    assert not result.ok
    assert [p.message for p in result.problems if p.rule == "site-build"] == ["MkDocs: broken in Dutch"]
    assert not out.exists()
    assert sorted(tmp_path.iterdir()) == []  # no temporary folder left behind


# --- translation keys name list entries by their identity -------------------------------------


def test_keys_name_list_entries_by_id_match_key_or_place() -> None:
    steps = {"steps": [{"stage": "hear", "say": ["Hallo"]}, {"stage": "resolve", "say": ["A", "B"]}]}
    identities = identity_keys("recovery")
    assert identities[("steps",)] == "stage"
    assert key_of(steps, ("steps", 1, "say", 1), identities) == "steps.resolve.say.1"
    # Without the catalogue's keys only an id names an entry (the keys of earlier versions).
    assert key_of(steps, ("steps", 1, "say", 1)) == "steps.1.say.1"
    # The same stage twice, an identity that is not a plain word, or none at all: the place.
    twice = {"steps": [{"stage": "hear"}, {"stage": "hear", "guidance": "x"}]}
    assert key_of(twice, ("steps", 1, "guidance"), identities) == "steps.1.guidance"
    odd = {"steps": [{"stage": "not a word", "guidance": "x"}]}
    assert key_of(odd, ("steps", 0, "guidance"), identities) == "steps.0.guidance"
    assert key_of({"examples": ["a", "b"]}, ("examples", 1), identity_keys("category")) == "examples.1"
    # Goodwill limits by role (the kinds catalogue), holidays by date (x-match), root causes by code.
    assert identity_keys("authority")[("limits",)] == "role"
    assert identity_keys("calendars")[("calendars", "*", "holidays")] == "date"
    assert identity_keys("category")[("root_causes",)] == "code"
    # A list matched by a text that is itself translated is keyed by place: rewording the
    # source must make the translation outdated, not lose it.
    assert ("quiz", "questions", "*", "options") not in identity_keys("training")


def test_inserting_an_entry_in_the_source_leaves_later_translations_current(tmp_path: Path) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REFERENCE, playbook)
    before = {(s.text.doc.relpath, s.text.key): s.state for s in statuses(check(playbook).playbook, NL)}
    calendars = playbook / "calendars.yaml"
    calendars.write_text(
        calendars.read_text(encoding="utf-8").replace(
            '    holidays:\n      - date: "2026-01-01"\n',
            '    holidays:\n      - date: "2025-12-26"\n        name: Boxing Day\n'
            '      - date: "2026-01-01"\n',
            1,
        ),
        encoding="utf-8",
    )
    category = playbook / "categories/late-delivery.yaml"
    category.write_text(
        category.read_text(encoding="utf-8").replace(
            "root_causes:\n",
            "root_causes:\n  - code: CAR-STRIKE\n    description: Carrier staff on strike.\n",
        ),
        encoding="utf-8",
    )
    after = {(s.text.doc.relpath, s.text.key): s.state for s in statuses(check(playbook).playbook, NL)}
    added = {key: state for key, state in after.items() if key not in before}
    assert added == {
        ("calendars.yaml", "calendars.contact-centre.holidays.2025-12-26.name"): "missing",
        ("categories/late-delivery.yaml", "root_causes.CAR-STRIKE.description"): "missing",
    }
    # Every text that was there keeps its translation, current as it was.
    assert {key: after[key] for key in before} == before
    assert before[("calendars.yaml", "calendars.contact-centre.holidays.2026-12-25.name")] == "current"


def test_inserting_an_entry_in_a_list_without_identity_outdates_the_entries_after_it(tmp_path: Path) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REFERENCE, playbook)
    category = playbook / "categories/late-delivery.yaml"
    source = category.read_text(encoding="utf-8")
    category.write_text(
        source.replace("examples:\n", "examples:\n  - Where is my parcel?\n", 1), encoding="utf-8"
    )
    found = {
        s.text.key: s.state
        for s in statuses(check(playbook).playbook, NL)
        if s.text.doc.relpath == "categories/late-delivery.yaml"
    }
    # Examples have no identity: they are keyed by place, so the ones after the new one are
    # reported outdated (never shown against the wrong source silently).
    assert found["examples.1"] == "outdated"


DUTCH_PAGES_OF_EACH_KIND = (
    "docs/escalation.md",  # roles: descriptions, responsibilities, how to reach them
    "docs/calendars.md",  # calendar, holiday and special-hours names
    "docs/authority.md",  # compensation types and what to record
    "docs/raci.md",
    "docs/kpis.md",
    "docs/qa/contact-quality.md",
    "docs/forms/carrier-claim.md",
    "docs/forms/complaint-intake.md",
    "docs/training/complaint-handling.md",
    "docs/categories/late-delivery.md",
    "docs/categories/web-app-bug.md",  # its review note
    "docs/index.md",
    "docs/for/in-store.md",
)


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_dutch_pages_of_each_kind_show_no_unmarked_english() -> None:
    """The reader sees Dutch, or the English text after the 'not yet translated' mark —
    never English without it."""
    playbook = check(REFERENCE).playbook
    [(language, dutch)] = translated_playbooks(playbook)
    files = site_files(dutch, alternates=selector(playbook.settings, "nl")).files
    mark = "[EN: nog niet vertaald] "
    translated = {_plain(s.entry["text"]) for s in statuses(playbook, language) if s.entry is not None}
    # Every text of the source files, translatable or not (a text the schemas forgot to mark
    # would show in English unmarked), except those whose Dutch is the same words.
    english = sorted(
        {
            _plain(value)
            for doc in playbook.docs.values()
            for value in _strings(doc.data)
            if len(value) >= 20 and " " in value and "{{" not in value
        }
        - translated
    )
    assert len(english) > 500
    for page in DUTCH_PAGES_OF_EACH_KIND:
        text = _plain(files[page])
        for source in english:
            text = text.replace(mark + source, "")  # marked: allowed
        leaks = [source for source in english if source in text]
        assert leaks == [], f"{page} shows English without the mark: {leaks[:3]}"
    roles = _plain(files["docs/escalation.md"])
    assert "Helpt klanten in de winkel en aan de kassa" in roles
    assert "Dienstdoende winkelmanager, of de winkeltelefoon via de winkelgids" in roles
    assert "Serves customers on the shop floor" not in roles
    form = _plain(files["docs/forms/carrier-claim.md"])
    assert "Artikel ontbreekt in het pakket" in form and "Onderzoeken met partnerteams" in form
