"""Update playbookgen's message catalogue after a UI string changed in a template or in Python.

    python scripts/update_catalogue.py

extracts every message (``_()``, ``gettext``, ``ngettext``, ``pgettext`` and ``{% trans %}``)
from ``templates/`` and ``src/`` as configured in ``src/playbookgen/locales/babel.cfg`` into
``src/playbookgen/locales/messages.pot``, then merges it into every ``locales/*.po``: new
messages are added untranslated, translations are kept, messages no longer used become
obsolete. English (``en.po``) is complete by construction: its msgstr is the msgid. A new
language: create an empty ``locales/<language>.po`` (e.g. ``nl.po``) and run this script.
``tests/test_catalogue.py`` fails until this has been run; ``--check`` only reports (exit 1 when
the catalogue is out of date) and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src" / "playbookgen" / "locales"
POT = LOCALES / "messages.pot"
KEYWORDS = {
    **{name: DEFAULT_KEYWORDS[name] for name in ("_", "gettext", "ngettext", "pgettext")},
    # The wording layer: N_() marks a phrase where it is defined, n_() is its ngettext.
    "N_": None,
    "n_": (1, 2),
}
COMMENT_TAGS = ["Translators:"]
HEADER = {"project": "playbookgen", "copyright_holder": "the playbookgen authors"}
SOURCE_LOCALE = "en"
"""The language the templates are written in: its catalogue repeats every msgid."""


def extract() -> Catalog:
    """Every message of the templates and the Python sources, as a template catalogue."""
    with (LOCALES / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(charset="utf-8", fuzzy=False, **HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _same(a: Catalog, b: Catalog) -> bool:
    """True when two catalogues hold the same messages, translations and files referenced."""

    def entries(catalog: Catalog) -> list[tuple[object, ...]]:
        return sorted(
            (
                repr(m.id),
                repr(m.context),
                repr(m.string or ""),
                tuple(sorted({filename for filename, _ in m.locations})),
                tuple(sorted(m.flags)),
                tuple(m.auto_comments),
            )
            for m in catalog
            if m.id
        )

    return entries(a) == entries(b)


def _write(path: Path, catalog: Catalog, *, keep_obsolete: bool, write: bool) -> bool:
    """Write ``catalog`` unless ``path`` already holds the same messages (no date-only churn);
    True when the file changed (or, with ``write=False``, would change)."""
    if path.exists() and path.stat().st_size:
        with path.open("rb") as old:
            if _same(read_po(old), catalog) and (keep_obsolete or not catalog.obsolete):
                return False
    if not write:
        return True
    with path.open("wb") as out:
        # No line numbers: moving a string within a template must not rewrite every catalogue.
        write_po(
            out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=not keep_obsolete
        )
    return True


def update(*, write: bool = True) -> list[Path]:
    """Extract ``messages.pot`` and merge it into every ``.po`` file; return the files written
    (with ``write=False``: the files that are out of date, leaving them as they are)."""
    template = extract()
    written = [POT] if _write(POT, template, keep_obsolete=False, write=write) else []
    source = LOCALES / f"{SOURCE_LOCALE}.po"
    for po in sorted({source, *LOCALES.glob("*.po")}):
        locale = po.stem
        if po.exists() and po.stat().st_size:
            with po.open("rb") as f:
                catalog = read_po(f, locale=locale)
        else:
            catalog = Catalog(locale=locale, **HEADER)
        catalog.update(template, no_fuzzy_matching=locale == SOURCE_LOCALE)
        if locale == SOURCE_LOCALE:
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
            catalog.obsolete.clear()
            catalog.fuzzy = False  # a fuzzy header would make compilers skip the whole file
            catalog.last_translator = "generated from the templates by scripts/update_catalogue.py"
        if _write(po, catalog, keep_obsolete=locale != SOURCE_LOCALE, write=write):
            written.append(po)
    return written


if __name__ == "__main__":
    check_only = sys.argv[1:] == ["--check"]
    changed = update(write=not check_only)
    for path in changed:
        print(f"{'out of date' if check_only else 'updated'}: {path.relative_to(ROOT)}")
    if not changed:
        print("catalogue up to date")
    sys.exit(1 if check_only and changed else 0)
