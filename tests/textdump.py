"""What a reader sees of a built site, as plain text: the article of every page and the text of
every PDF, one file each, so two builds can be compared by what they say rather than by markup.

``python tests/textdump.py SITE OUT`` writes ``OUT/<page>.txt`` and ``OUT/pdf/<file>.txt``.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

_BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "dt", "dd", "summary", "pre"}
_CELLS = {"td", "th"}
_SKIP = {"script", "style", "svg", "noscript"}


class _ArticleText(HTMLParser):
    """Collects the text inside ``<article>``, a line per block and cells split by ' | '."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.lines: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self._flush()
        elif tag in _CELLS:
            self.current.append(" | ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag in _SKIP:
            self.skip -= 1
        elif tag in _BLOCKS:
            self._flush()
        if tag == "article":
            self.depth -= 1
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def page_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines) + "\n"


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def dump(site: Path, out: Path) -> list[Path]:
    """Write the text of every page and PDF of ``site`` under ``out``; return the files written."""
    written: list[Path] = []
    for page in sorted(site.rglob("index.html")):
        rel = page.relative_to(site).parent
        target = out / (str(rel) if str(rel) != "." else "index")
        target = target.with_suffix(".txt") if target.suffix == "" else Path(f"{target}.txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_text(page.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target)
    for pdf in sorted(site.rglob("*.pdf")):
        target = out / "pdf-text" / pdf.relative_to(site).with_suffix(".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pdf_text(pdf), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    files = dump(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(files)} text files written to {sys.argv[2]}")
