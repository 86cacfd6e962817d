"""A playbook in another language and currency: tests/examples/vi-small (a Vietnamese pharmacy
chain, VND, Asia/Ho_Chi_Minh) built with its PDFs reads Vietnamese everywhere — pages, PDFs,
cheat sheets — with Vietnamese dates, numbers and money, set in a font that has every letter.

Golden text dumps (``tests/goldens/vi-small``, made by tests/textdump.py) hold what a reader sees;
regenerate them with ``PLAYBOOKGEN_UPDATE_GOLDENS=1`` and read their diff."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import weasyprint
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from playbookgen.build import BuildResult, build
from playbookgen.model import load_playbook
from playbookgen.render.mkdocs_config import search_language, theme_language
from playbookgen.render.print_html import print_documents
from playbookgen.wording import Wording

from .conftest import EXAMPLES, REFERENCE
from .textdump import dump

VI_SMALL = EXAMPLES / "vi-small"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "vi-small"
ENGLISH_UI = (
    "Version",
    "in force from",
    "Resolve now",
    "Escalat",
    "Who to call",
    "business hours",
    "Goodwill",
    "page 1 of",
    "printed",
    "effective",
    "YYYY-MM-DD",
    "around the clock",
    "Per case",
)
"""UI words of the English catalogue that must not reach a Vietnamese reader."""


@pytest.fixture(scope="module")
def vi_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    where = tmp_path_factory.mktemp("vi-small")
    root = where / "playbook"
    shutil.copytree(VI_SMALL, root)
    result = build(root, where / "site", pdf=True)
    assert result.ok, result.problems
    texts = where / "text"
    dump(where / "site", texts)
    return result, where


def _texts(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.txt"))
        if p.relative_to(folder).as_posix() != "rules.txt"  # playbookgen's own rule docs, English
    }


def test_vi_small_matches_its_golden_text(vi_site: tuple[BuildResult, Path]) -> None:
    texts = _texts(vi_site[1] / "text")
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        shutil.rmtree(GOLDENS, ignore_errors=True)
        for relpath, text in texts.items():
            target = GOLDENS / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    expected = _texts(GOLDENS)
    assert sorted(texts) == sorted(expected), "set PLAYBOOKGEN_UPDATE_GOLDENS=1 to accept new files"
    for relpath, text in texts.items():
        assert text == expected[relpath], f"{relpath} differs from its golden"


def test_vi_small_reads_vietnamese_everywhere(vi_site: tuple[BuildResult, Path]) -> None:
    texts = _texts(vi_site[1] / "text")
    for relpath, text in texts.items():
        for english in ENGLISH_UI:
            assert english not in text, f"{relpath} shows the English {english!r}"
    assert "Phiếu mua hàng: 50.000 ₫ (100.000 ₫)" in texts["authority.txt"]
    assert "| Mức hoàn tiền tại quầy | 500.000 ₫ |" in texts["policies.txt"]
    assert "Phiên bản 2.0 · hiệu lực từ 15 tháng 11, 2026" in texts["index.txt"]
    assert "| 2 tháng 9, 2026 | Quốc khánh" in texts["calendars.txt"]
    assert "ít nhất 87,5%" in texts["kpis.txt"]
    # a policy value inside a sentence takes the locale's unit words, not "24 hours"
    sheet = texts["pdf-text/pdf/cheat-sheets/zalo-agent.txt"]
    assert "trong 24 tiếng kể từ khi nhận hàng" in sheet
    assert "trang 1/1" in sheet
    form = texts["pdf-text/pdf/forms/complaint-intake.txt"]
    assert "DD/MM/YYYY" in form and "Ngày (DD/MM/YYYY)" in form
    assert "| Ngày nhận hàng | ngày | có |" in texts["forms/complaint-intake.txt"]


def test_vi_small_pages_declare_vietnamese(vi_site: tuple[BuildResult, Path]) -> None:
    site = vi_site[1] / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="vi"', home)
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["vi"]' in index.replace(" ", "")


def test_material_language_and_search_language() -> None:
    """Material has a Vietnamese and a Dutch UI and lunr stemmers for both; for a language
    lunr lacks (Icelandic), search falls back to English stemming, which still finds whole words."""
    assert theme_language(Wording("vi-VN")) == "vi"
    assert theme_language(Wording("nl-BE")) == "nl"
    assert search_language(Wording("vi-VN")) == "vi"
    assert search_language(Wording("nl-NL")) == "nl"
    assert search_language(Wording("is-IS")) == "en"


def _font_file(name: str) -> str:
    return subprocess.run(
        ["fc-match", "-f", "%{file}", name], check=True, capture_output=True, text=True
    ).stdout


def test_vi_small_pdfs_use_one_font_that_has_every_character(vi_site: tuple[BuildResult, Path]) -> None:
    """No empty boxes and no letter-by-letter fallback: every PDF is set in DejaVu Sans (Condensed), which
    has a glyph for every character the PDFs show (ế, ộ, ₫, →, ✓, ☐ …); its Condensed cut keeps
    the one-page cheat sheets on one page."""
    site, texts = vi_site[1] / "site", vi_site[1] / "text"
    for pdf in sorted(site.rglob("*.pdf")):
        fonts = set()
        for page in PdfReader(pdf).pages:
            resources = page.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
        assert fonts and all(f.startswith("DejaVu") for f in fonts), (pdf.name, fonts)
    cmap = TTFont(_font_file("DejaVu Sans Condensed")).getBestCmap()
    shown = {c for p in (texts / "pdf-text").rglob("*.txt") for c in p.read_text(encoding="utf-8")}
    missing = sorted(c for c in shown if not c.isspace() and ord(c) not in cmap)
    assert missing == []


def test_decomposed_vietnamese_loads_as_composed(tmp_path: Path) -> None:
    """The same playbook typed with decomposed accents (NFD) loads to the same text."""
    root = tmp_path / "nfd"
    shutil.copytree(VI_SMALL, root)
    for path in root.rglob("*.yaml"):
        path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert "ế" not in (root / "playbook.yaml").read_text(encoding="utf-8")
    composed, problems = load_playbook(VI_SMALL)
    decomposed, problems_nfd = load_playbook(root)
    assert problems == problems_nfd == []
    for item in composed.all("category"):
        other = decomposed.get("category", item.id)
        assert other is not None and other.data == item.data
    assert decomposed.settings["organisation"] == composed.settings["organisation"]


@pytest.mark.parametrize("locale", ["vi-VN", "nl-NL"])
def test_reference_cheat_sheets_fit_on_one_page_in_other_languages(tmp_path: Path, locale: str) -> None:
    """Vietnamese and Dutch UI words are longer than English ones: every cheat sheet of the
    reference playbook still fits on one page (the build fails a sheet that does not)."""
    root = tmp_path / "playbook"
    shutil.copytree(REFERENCE, root)
    settings = root / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "\nlocale: en-GB\n" in text
    # The English texts with the other language's words, dates and numbers around them (the
    # Dutch translations are left out: the source language must be the locale's).
    text = re.sub(r"\nlanguages:\n(  .*\n)+", "\n", text)
    settings.write_text(text.replace("\nlocale: en-GB\n", f"\nlocale: {locale}\n"), encoding="utf-8")
    shutil.rmtree(root / "translations")
    playbook, problems = load_playbook(root)
    assert not [p for p in problems if p.severity == "error"]
    sheets = [doc for doc in print_documents(playbook) if doc.one_page]
    assert len(sheets) >= 4
    for doc in sheets:
        pages = weasyprint.HTML(string=doc.html, base_url=str(root)).render().pages
        assert len(pages) == 1, f"{doc.relpath} runs to {len(pages)} pages in {locale}"
