"""A corpus of hostile *content* on its way to the site and the PDFs: markup, script links,
template syntax, very long words, right-to-left text, emoji and control characters.

One copy of tests/examples/site-small carries every hostile string that ``check`` lets
through; it is built once, with PDFs, and each case looks at the page and PDFs its string
reaches. Strings that ``check`` refuses are checked one by one in small playbooks, at the
exact file:line:col, and pushed through the Markdown helper to show they are defused there
too.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from playbookgen import text
from playbookgen.build import build
from playbookgen.cli import main
from playbookgen.model import load_playbook
from playbookgen.render.site import site_files

from . import test_browser
from .conftest import EXAMPLES, apply_edits

SMALL = EXAMPLES / "site-small"
PHONE = {"width": 375, "height": 740}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
LONG_WORD = "Supercalifragilistic" * 15  # 300 characters, no space
EMOJI = "👍🏽 🇬🇧 👩‍👩‍👧‍👦 ❤️"  # skin tone, flag, ZWJ family, variation selector
INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufe0f")
)
"""Format characters that pdftotext adds (bidi embeddings around Arabic) or drops (ZWJ, ZWSP,
VS16); PDF text is compared without them."""


def q(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (JSON's escapes are YAML's; YAML also wants
    DEL and the C1 controls escaped)."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


# --- the hostile playbook -------------------------------------------------------------------

DESCRIPTION = "\n\n".join(
    [
        'Raw <iframe src="https://evil.example/frame"></iframe> frame.',
        "**Bold**{: onclick=alert(1) } handler.",
        "See [the portal](https://returns.example){: href=javascript:alert(2) } now.",
        "See [the desk][evil] by reference.",
        "[evil]: javascript:alert(3)",
        "Ask within {{ policy.report-hours }} of delivery.",
    ]
)
EXAMPLES_ADDED = [
    "RTL-AR مرحبا بالعالم END",
    "RTL-HE שלום עולם END",
    f"EMOJI {EMOJI} END",
    "Refund file invoice\u202egpj.exe",
    "After the override",
    "ZWSP zero\u200bwidth END",
]
EDITS: dict[str, list[tuple[str, str]]] = {
    "categories/missing-item.yaml": [
        ("name: Missing item", "name: " + q("Missing <script>alert(1)</script> item")),
        (
            "summary: An item is missing from the parcel.",
            "summary: " + q("Parcel short <img src=x onerror=alert(1)> today"),
        ),
        (
            "description: >-\n  The parcel arrived without one of the items. Ask within"
            " {{ policy.report-hours }} of\n  delivery. Use **wrong item** when something else came instead.",
            # The site must stay safe even when a reviewer lets an unsafe link through.
            "description: " + q(DESCRIPTION) + "  # playbookgen: ignore[unsafe-link] shown as written",
        ),
        ("examples:\n", "examples:\n" + "".join(f"  - {q(e)}\n" for e in EXAMPLES_ADDED)),
        (
            "  - do: Check the packing record and send the missing item.",
            "  - do: " + q(f"Check the packing record: {LONG_WORD} then send it."),
        ),
    ],
    "categories/staff-attitude.yaml": [
        ("name: Staff attitude", "name: " + q("Staff attitude {# c #}")),
        ("  - when: Always.", "  - when: " + q("Always.\u0000\u001b\u007f then go")),
    ],
    "kpis.yaml": [
        (
            "definition: Share of survey answers rating us 4 or 5.",
            "definition: " + q("<style>body{display:none}</style> share of 4 or 5"),
        ),
        (
            "definition: Time from a customer's first message to our first reply.",
            "definition: " + q("{% include 'x' %} time to first reply"),
        ),
    ],
    "recovery/missing-item-email.yaml": [
        (
            "      - Thank you for telling us.",
            '      - "{{ 7*7 }} thank you"  # playbookgen: ignore[policy-reference] shown as written',
        ),
        (
            "      - I'm sorry the jacket was not in your parcel.",
            "      - " + q('<a href="javascript:alert(4)">anchor</a> sorry'),
        ),
    ],
    "priorities.yaml": [
        ("    name: Normal\n", "    name: " + q("Normal {: onclick=alert(5) }") + "\n"),
    ],
    "policies.yaml": [
        (
            "description: Customers should report a missing item within this many hours.",
            "description: " + q(f"Report within this many hours: {LONG_WORD}"),
        ),
    ],
}


class Page(HTMLParser):
    """A built HTML page: its text as a reader sees it, and every element with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.raw_text: dict[str, list[str]] = {}
        self.headings: list[str] = []
        self._open: str | None = None
        self._heading: list[str] | None = None
        self.feed(html)
        self.close()
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._open = tag if tag in ("script", "style") else None
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        self._open = None
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.raw_text.setdefault(self._open, []).append(data)
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


@dataclass
class Built:
    root: Path
    site: Path
    pages: dict[str, Page] = field(default_factory=dict)
    pdfs: dict[str, str] = field(default_factory=dict)

    def page(self, relpath: str) -> Page:
        if relpath not in self.pages:
            self.pages[relpath] = Page((self.site / relpath).read_text(encoding="utf-8"))
        return self.pages[relpath]

    def pdf_text(self, relpath: str) -> str:
        """The text layer of a built PDF, as poppler's pdftotext reads it."""
        if relpath not in self.pdfs:
            tool = shutil.which("pdftotext")
            if tool is None:
                test_browser.unavailable("pdftotext (poppler-utils) is not installed")
            path = self.site / "pdf" / relpath
            result = subprocess.run(
                [str(tool), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
            )
            self.pdfs[relpath] = result.stdout.decode("utf-8")
        return self.pdfs[relpath]


def squeeze(value: str) -> str:
    """Text without whitespace or the invisible format characters pdftotext adds or drops."""
    return "".join(value.translate(INVISIBLE).split())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Built:
    where = tmp_path_factory.mktemp("hostile")
    root = where / "playbook"
    shutil.copytree(SMALL, root)
    apply_edits(root, EDITS)
    result = build(root, where / "site")  # with PDFs
    assert result.ok, result.problems
    assert [p for p in result.problems if p.suppressed is None] == []
    suppressed = sorted((p.path, p.rule) for p in result.problems if p.suppressed is not None)
    assert suppressed == [
        ("categories/missing-item.yaml", "unsafe-link"),  # the [evil]: javascript: reference
        ("recovery/missing-item-email.yaml", "policy-reference"),
    ]
    return Built(root, where / "site")


# --- what each hostile string looks like in the site and in print ------------------------------


@dataclass(frozen=True)
class Shown:
    """A hostile string as a reader sees it: on ``page`` as ``html``, in ``pdfs`` as ``printed``
    (default: the same text), and never as live markup (``forbidden`` raw HTML)."""

    page: str
    html: str
    pdfs: tuple[str, ...] = ("playbook.pdf",)
    printed: str | None = None
    forbidden: tuple[str, ...] = ()
    not_printed: tuple[str, ...] = ()
    heading: bool = False
    """``html`` is the text of a heading (where an attribute list takes the end of the line)."""


CATEGORY = "categories/missing-item/index.html"
SHOWN: dict[str, Shown] = {
    "script-element": Shown(
        CATEGORY,
        "Missing <script>alert(1)</script> item",
        ("playbook.pdf", "cheat-sheets/email-agent.pdf"),
        forbidden=("<script>alert(1)",),
    ),
    "img-onerror": Shown(
        CATEGORY, "Parcel short <img src=x onerror=alert(1)> today", forbidden=("<img src=x",)
    ),
    "iframe-element": Shown(
        CATEGORY,
        'Raw <iframe src="https://evil.example/frame"></iframe> frame.',
        forbidden=("<iframe",),
    ),
    "raw-anchor-javascript": Shown(
        "recovery/missing-item-email/index.html",
        '<a href="javascript:alert(4)">anchor</a> sorry',
        forbidden=('<a href="javascript:',),
    ),
    "style-element": Shown(
        "kpis/index.html",
        "<style>body{display:none}</style> share of 4 or 5",
        forbidden=("<style>body",),
    ),
    "attr-list-handler": Shown(
        CATEGORY, "Bold{: onclick=alert(1) } handler.", forbidden=('onclick="alert(1)"',)
    ),
    "attr-list-href": Shown(
        CATEGORY,
        "See the portal{: href=javascript:alert(2) } now.",
        forbidden=('href="javascript:alert(2)"',),
    ),
    # A name printed without the Markdown helper (a priority's label), in headings and table cells
    "attr-list-in-a-name": Shown(
        "priorities/index.html",
        "P2 Normal {: onclick=alert(5) }",
        heading=True,
        forbidden=('onclick="alert(5)"',),
    ),
    "reference-link-javascript": Shown(
        CATEGORY,
        "[evil]: javascript:alert(3)",
        # print never makes links: the reference shows as written
        forbidden=('href="javascript:alert(3)"',),
    ),
    # Escaping braces must not stop {{ policy.ID }} from being filled in.
    "policy-value-next-to-hostile-text": Shown(CATEGORY, "Ask within 48 hours of delivery."),
    "jinja-expression": Shown(
        "recovery/missing-item-email/index.html", "{{ 7*7 }} thank you", not_printed=("49 thank you",)
    ),
    "jinja-statement": Shown("kpis/index.html", "{% include 'x' %} time to first reply"),
    "jinja-comment": Shown("categories/staff-attitude/index.html", "Staff attitude {# c #}", heading=True),
    "long-word": Shown(CATEGORY, LONG_WORD, ("playbook.pdf", "cheat-sheets/email-agent.pdf")),
    "long-word-in-a-table": Shown("policies/index.html", f"Report within this many hours: {LONG_WORD}"),
    "rtl-arabic": Shown(CATEGORY, "RTL-AR مرحبا بالعالم END"),
    "rtl-hebrew": Shown(CATEGORY, "RTL-HE שלום עולם END"),
    # No emoji font is installed (DejaVu and Liberation only): print shows boxes, but the text
    # layer keeps the code points, so the PDF can be searched and copied from.
    "emoji": Shown(CATEGORY, f"EMOJI {EMOJI} END"),
    # The override reverses the rest of its own list item (the spoof works there: "exe.jpg"),
    # and no further: the next example reads normally.
    "right-to-left-override": Shown(
        CATEGORY,
        "Refund file invoice\u202egpj.exe",
        printed="After the override",
        not_printed=("edirrevo eht retfA",),
    ),
    "zero-width-space": Shown(CATEGORY, "ZWSP zero\u200bwidth END"),
    # A double-quoted "\\0" or "\\e" is text to YAML: the build goes through (see the diagram test).
    "control-characters": Shown("categories/staff-attitude/index.html", "then go", printed="Always."),
}


@pytest.mark.parametrize("case", list(SHOWN))
def test_hostile_text_shows_as_written(hostile: Built, case: str) -> None:
    shown = SHOWN[case]
    page = hostile.page(shown.page)
    assert shown.html in page.text, f"{case}: {shown.html!r} is not the text of {shown.page}"
    if shown.heading:
        assert any(shown.html in heading for heading in page.headings), (case, page.headings)
    raw = (hostile.site / shown.page).read_text(encoding="utf-8")
    for markup in shown.forbidden:
        assert markup not in raw, f"{case}: {markup!r} is live markup in {shown.page}"
    for pdf in shown.pdfs:
        printed = squeeze(hostile.pdf_text(pdf))
        assert squeeze(shown.printed or shown.html) in printed, f"{case}: not printed in {pdf}"
        for wrong in shown.not_printed:
            assert squeeze(wrong) not in printed, f"{case}: {wrong!r} printed in {pdf}"


def scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (WHATWG: outer controls and spaces stripped, tabs
    and line breaks removed anywhere), lowercased; None for a relative address."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def assert_no_live_markup(where: str, page: Page) -> None:
    for tag, attrs in page.elements:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{where}: <{tag}> has event handlers {handlers}"
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            if name in attrs:
                found = scheme(attrs[name])
                assert found in (None, *SAFE_SCHEMES), f"{where}: <{tag} {name}={attrs[name]!r}>"
        assert tag not in ("iframe", "object", "embed", "base"), f"{where}: <{tag}>"
    assert not any("alert(" in script for script in page.raw_text.get("script", [])), where
    assert not any("display:none" in style for style in page.raw_text.get("style", [])), where


def test_no_page_of_the_hostile_site_has_live_markup(hostile: Built) -> None:
    pages = sorted(hostile.site.rglob("*.html"))
    assert len(pages) > 25
    for path in pages:
        relpath = path.relative_to(hostile.site).as_posix()
        page = hostile.page(relpath)
        assert_no_live_markup(relpath, page)
        assert "49 thank you" not in page.text, relpath


def test_diagrams_stay_well_formed_with_control_characters(hostile: Built) -> None:
    svg = hostile.site / "diagrams" / "staff-attitude.svg"
    root = ET.fromstring(svg.read_text(encoding="utf-8"))  # NUL, ESC make XML ill-formed
    words = " ".join("".join(element.itertext()) for element in root.iter())
    assert "when: Always.\x7f then go" in " ".join(words.split())  # DEL is allowed in XML; NUL, ESC are not
    assert "Staff attitude {# c #}" in words
    for path in (hostile.site / "diagrams").glob("*.svg"):
        ET.fromstring(path.read_text(encoding="utf-8"))


def test_a_long_word_keeps_the_cheat_sheet_on_one_page(hostile: Built) -> None:
    sheet = PdfReader(hostile.site / "pdf" / "cheat-sheets" / "email-agent.pdf")
    assert len(sheet.pages) == 1
    # every character is on the page, none cut off at its right edge
    assert LONG_WORD in squeeze(hostile.pdf_text("cheat-sheets/email-agent.pdf"))


@dataclass
class Served:
    site: Path
    url: str


@pytest.fixture(scope="module")
def served(hostile: Built) -> Iterator[Served]:
    handler = functools.partial(test_browser._QuietHandler, directory=str(hostile.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(hostile.site, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


PHONE_PAGES = ("categories/missing-item/", "policies/", "kpis/", "")


@dataclass
class Visit:
    """What headless Chromium saw of the hostile site."""

    widths: dict[str, list[int]]
    """[scrollWidth, clientWidth] of each of PHONE_PAGES at phone width."""
    article: str
    heading: str
    dialogs: list[str]
    foreign: list[str]
    errors: list[str]


def visit_site(browser: Any, served: Served) -> Visit:
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    widths = {}
    for path in PHONE_PAGES:
        page.goto(served.url + path)
        page.wait_for_load_state("networkidle")
        widths[path] = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    page.goto(served.url + "categories/missing-item/")
    article = page.locator("article").inner_text()
    phone.close()

    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = test_browser.Tab(desktop.new_page())
    dialogs: list[str] = []
    desktop.on("request", lambda request: tab.requests.append(request.url))
    tab.page.on(
        "console", lambda message: tab.errors.append(message.text) if message.type == "error" else None
    )
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in sorted(served.site.rglob("index.html")):
        relative = path.parent.relative_to(served.site).as_posix()
        tab.page.goto(served.url + ("" if relative == "." else relative + "/"))
    tab.page.goto(served.url + "categories/missing-item/")
    tab.page.wait_for_load_state("networkidle")
    heading = tab.page.locator("h1").first.inner_text()
    tab.page.get_by_text("Bold").first.click()  # an onclick from the content would open a dialog
    tab.page.wait_for_timeout(200)
    desktop.close()
    return Visit(widths, article, heading, dialogs, tab.foreign_requests(), tab.errors)


@pytest.fixture(scope="module")
def visit(served: Served) -> Visit:
    """The hostile site in test_browser's headless Chromium (required when
    PLAYBOOKGEN_REQUIRE_BROWSER=1), driven from a thread of its own: Playwright's sync API
    will not start a second time in a thread where test_browser's session browser runs."""
    if not test_browser.CHROMIUM.exists():
        test_browser.unavailable(f"{test_browser.CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        test_browser.unavailable("Playwright for Python is not installed")
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = str(test_browser.CHROMIUM)
                browser = playwright.chromium.launch(executable_path=chromium, args=test_browser.FLAGS)
                try:
                    outcome["visit"] = visit_site(browser, served)
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    result: Visit = outcome["visit"]
    return result


@pytest.mark.browser
def test_a_long_word_does_not_make_a_phone_scroll_sideways(visit: Visit) -> None:
    assert set(visit.widths) == set(PHONE_PAGES)
    for path, (scroll, client) in visit.widths.items():
        assert 300 < client <= PHONE["width"] and scroll <= client, (path, scroll, client)
    assert LONG_WORD in visit.article


@pytest.mark.browser
def test_no_hostile_page_runs_a_script_or_fetches_from_another_host(visit: Visit) -> None:
    assert visit.heading.startswith("Missing <script>alert(1)</script> item")
    assert visit.dialogs == []
    assert visit.foreign == []
    assert visit.errors == []


# --- what check says, at the exact place ---------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """One hostile value put on one line of one file, and what ``check`` must say about it."""

    file: str
    old: str
    new: str
    """The new line, with ``{}`` where the quoted value goes."""
    value: str
    rule: str | None
    """The one problem's rule, or None for a clean check."""
    message: str = ""


CHECKED: dict[str, Located] = {
    "javascript": Located(
        "categories/missing-item.yaml",
        "summary: An item is missing from the parcel.",
        "summary: {}",
        "Open [portal](javascript:alert(1)).",
        "unsafe-link",
        "the link 'portal' goes to 'javascript:alert(1', which is not allowed",
    ),
    "javascript-mixed-case": Located(
        "recovery/missing-item-email.yaml",
        "      - Thank you for telling us.",
        "      - {}",
        "Open [portal](JaVaScRiPt:alert(1)).",
        "unsafe-link",
        "goes to 'JaVaScRiPt:alert(1'",
    ),
    "data": Located(
        "kpis.yaml",
        "definition: Share of survey answers rating us 4 or 5.",
        "definition: {}",
        "Open [portal](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).",
        "unsafe-link",
        "goes to 'data:text/html;base64,",
    ),
    "vbscript": Located(
        "roles.yaml",
        "description: Answers customer emails.",
        "description: {}",
        "Open [portal](vbscript:msgbox(1)).",
        "unsafe-link",
        "goes to 'vbscript:msgbox(1'",
    ),
    "leading-space": Located(
        "categories/missing-item.yaml",
        "summary: An item is missing from the parcel.",
        "summary: {}",
        "Open [portal]( javascript:alert(1)).",
        "unsafe-link",
    ),
    "line-break-in-the-scheme": Located(
        "kpis.yaml",
        "definition: Share of survey answers rating us 4 or 5.",
        "definition: {}",
        "Open [portal](java\nscript:alert(1)).",
        "unsafe-link",
        "the link 'portal' goes to 'java script:alert(1', which is not allowed",
    ),
    "reference-definition": Located(
        "categories/missing-item.yaml",
        "summary: An item is missing from the parcel.",
        "summary: {}",
        "Open [portal][evil].\n\n[evil]: javascript:alert(1)",
        "unsafe-link",
        "the link reference '[evil]' goes to 'javascript:alert(1)', which is not allowed",
    ),
    "https": Located(
        "kpis.yaml",
        "definition: Share of survey answers rating us 4 or 5.",
        "definition: {}",
        "See [the survey](https://survey.example/csat?x=1#top).",
        None,
    ),
    "mailto": Located(
        "roles.yaml",
        "description: Answers customer emails.",
        "description: {}",
        "[Mail](mailto:service@fjord.example)",
        None,
    ),
    "tel": Located(
        "roles.yaml",
        "description: Answers customer emails.",
        "description: {}",
        "[Call](tel:+31205550100)",
        None,
    ),
    "relative": Located(
        "categories/missing-item.yaml",
        "summary: An item is missing from the parcel.",
        "summary: {}",
        "See [SLA](../sla.md#standard) and [top](#what-it-is).",
        None,
    ),
    "jinja-expression": Located(
        "recovery/missing-item-email.yaml",
        "      - Thank you for telling us.",
        "      - {}",
        "{{ 7*7 }} thank you",
        "policy-reference",
        "'{{ 7*7 }}' is never filled in",
    ),
    "jinja-statement-and-comment": Located(
        "kpis.yaml",
        "definition: Share of survey answers rating us 4 or 5.",
        "definition: {}",
        "{% include 'x' %} and {# c #}",
        None,
    ),
    "escaped-nul": Located(
        "categories/missing-item.yaml",
        "summary: An item is missing from the parcel.",
        "summary: {}",
        "An item\u0000 is missing.",
        None,  # a double-quoted "\0" is text; see test_diagrams_stay_well_formed_with_control_characters
    ),
}


def run_check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(root)], catch_exceptions=False)
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("case", list(CHECKED))
def test_check_reports_hostile_content_at_its_place(tmp_path: Path, case: str) -> None:
    located = CHECKED[case]
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    quoted = q(located.value)
    new = located.new.format(quoted)
    apply_edits(root, {located.file: [(located.old, new)]})
    lines = (root / located.file).read_text(encoding="utf-8").splitlines()
    [(line, written)] = [(n, text) for n, text in enumerate(lines, start=1) if new in text]
    column = written.index(quoted) + 1
    code, output = run_check(root)
    if located.rule is None:
        assert (code, output) == (0, ["No problems found (0 errors, 0 warnings)."])
        return
    assert code == 1, output
    assert output[-1] == "1 error, 0 warnings", output
    [problem] = output[:-1]
    assert problem.startswith(f"{root}/{located.file}:{line}:{column}: error {located.rule} "), problem
    assert located.message in problem


def test_a_raw_nul_byte_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    apply_edits(root, {"kpis.yaml": [("rating us 4 or 5.", "rating us 4\x00 or 5.")]})
    lines = (root / "kpis.yaml").read_text(encoding="utf-8").splitlines()
    [(line, column)] = [
        (n, text.index("\x00") + 1) for n, text in enumerate(lines, start=1) if "\x00" in text
    ]
    code, output = run_check(root)
    assert code == 1
    [problem, summary] = output
    assert problem.startswith(f"{root}/kpis.yaml:{line}:{column}: error file-encoding "), problem
    assert "a control character (U+0000) is here" in problem and "delete it" in problem
    assert summary == "1 error, 0 warnings"


# --- the Markdown helper on its own ---------------------------------------------------------------


@functools.cache
def site_markdown() -> python_markdown.Markdown:
    """Python-Markdown with the extensions and settings of the generated mkdocs.yml."""
    playbook, _ = load_playbook(SMALL)
    config = yaml.safe_load(site_files(playbook).files["mkdocs.yml"])
    names: list[str] = []
    settings: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            [(name, options)] = entry.items()
            settings[name] = options
        else:
            name = entry
        names.append(name)
    assert "attr_list" in names
    return python_markdown.Markdown(extensions=names, extension_configs=settings)


def rendered(value: str) -> Page:
    return Page(site_markdown().reset().convert(str(text.markdown(value))))


UNSAFE = {
    "javascript": "[portal](javascript:alert(1))",
    "javascript-mixed-case": "[portal](JaVaScRiPt:alert(1))",
    "data": "[portal](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript": "[portal](vbscript:msgbox(1))",
    "leading-space": "[portal]( javascript:alert(1))",
    "line-break-in-the-scheme": "[portal](java\nscript:alert(1))",
    "angle-brackets": "[portal](<javascript:alert(1)>)",
    "zero-width-space-in-the-scheme": "[portal](java\u200bscript:alert(1))",
    "reference": "[portal][evil]\n\n[evil]: javascript:alert(1)",
    "reference-on-two-lines": "[portal][evil]\n\n   [evil]:\n   JAVASCRIPT:alert(1)",
    "attr-list-href": "[portal](https://x.example){: href=javascript:alert(1) }",
    "attr-list-handler": "[portal](https://x.example){: onclick=alert(1) }",
    "attr-list-on-a-paragraph": "portal\n{: onmouseover=alert(1) }",
    "raw-anchor": '<a href="javascript:alert(1)">portal</a>',
}


@pytest.mark.parametrize("case", list(UNSAFE))
def test_the_markdown_helper_never_makes_a_script_link(case: str) -> None:
    page = rendered(UNSAFE[case])
    assert_no_live_markup(case, page)
    assert "portal" in page.text


SAFE = {
    "https": ("[portal](https://returns.example/a?b=1#c)", "https://returns.example/a?b=1#c"),
    "mailto": ("[portal](mailto:help@fjord.example)", "mailto:help@fjord.example"),
    "tel": ("[portal](tel:+31205550100)", "tel:+31205550100"),
    "relative": ("[portal](../sla.md#standard)", "../sla.md#standard"),
}


@pytest.mark.parametrize("case", list(SAFE))
def test_the_markdown_helper_keeps_allowed_links(case: str) -> None:
    source, href = SAFE[case]
    page = rendered(source)
    assert [attrs.get("href") for tag, attrs in page.elements if tag == "a"] == [href]
    assert page.text == "portal"
