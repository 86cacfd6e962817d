"""Print documents: fillable forms, training editions, QA scorecard, one-page cheat sheets and
the whole playbook, rendered by WeasyPrint, cached and reproducible."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from playbookgen.build import build as build_site
from playbookgen.check import check
from playbookgen.model import Playbook, load_playbook
from playbookgen.problems import PlaybookError
from playbookgen.render.pdf import (
    PdfResult,
    cache_key,
    local_fetcher,
    progress_printer,
    render_pdfs,
    write_html_pdf,
)
from playbookgen.render.print_html import print_documents, print_markdown
from playbookgen.views import documents
from playbookgen.views.documents import PRINTED_OPTIONS
from playbookgen.views.typed import PlaybookView
from playbookgen.wording import Wording

from .conftest import EXAMPLES, REFERENCE, REPO

SMALL = EXAMPLES / "print-small"
ARTIFACTS = REPO / "test-artifacts" / "pdf"
A4 = (595, 842)
LETTER = (612, 792)
A3 = (842, 1191)
TABLOID = (792, 1224)
POSTER = "authority-matrix.pdf"


@dataclass
class Build:
    root: Path
    out: Path
    cache: Path
    result: PdfResult
    playbook: Playbook

    def pdf(self, relpath: str) -> PdfReader:
        return PdfReader(self.out / relpath)

    def text(self, relpath: str) -> str:
        return " ".join(" ".join(page.extract_text() for page in self.pdf(relpath).pages).split())


def load(root: Path) -> Playbook:
    playbook, problems = load_playbook(root)
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, errors
    return playbook


def build(root: Path, where: Path, cache: Path | None = None) -> Build:
    out, cache = where / "pdf", cache or where / "cache"
    playbook = load(root)
    return Build(root, out, cache, render_pdfs(playbook, out, cache), playbook)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Build:
    where = tmp_path_factory.mktemp("small")
    root = where / "playbook"
    shutil.copytree(SMALL, root)
    return build(root, where)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Build:
    where = tmp_path_factory.mktemp("reference")
    root = where / "playbook"
    shutil.copytree(REFERENCE, root)
    return build(root, where)


def expected_documents(playbook: Playbook) -> set[str]:
    names = {f"forms/{f.id}.pdf" for f in playbook.all("form")}
    names |= {f"training/{t.id}-{e}.pdf" for t in playbook.all("training") for e in ("trainee", "trainer")}
    names |= {f"qa/{q.id}.pdf" for q in playbook.all("qa")}
    names |= {f"cheat-sheets/{c.id}.pdf" for c in playbook.all("cheat-sheet")}
    names |= {
        f"training/{t.id}-{h['id']}.pdf" for t in playbook.all("training") for h in t.data.get("handouts", [])
    }
    names |= {POSTER} if playbook.file("authority") is not None else set()
    return names | {"playbook.pdf"}


def declared_fields(playbook: Playbook, form_id: str) -> set[str]:
    """The PDF field names a form's YAML asks for."""
    form = playbook.items["form"][form_id].data
    names: set[str] = set()
    for section in form["sections"]:
        for field in section["fields"]:
            if field["type"] == "multi-choice":
                names |= {f"{field['id']}:{n}" for n in range(1, len(field["options"]) + 1)}
            else:
                names.add(field["id"])
    for index, approval in enumerate(form.get("approvals", []), start=1):
        names |= {f"approval-{index}-{approval['role']}-{part}" for part in ("name", "signature", "date")}
    return names


# --- every document, fillable forms -------------------------------------------------------


def test_the_small_print_playbook_is_clean() -> None:
    result = check(SMALL, strict=True)
    assert result.ok and result.problems == []


@pytest.mark.slow
def test_reference_builds_every_document(reference: Build) -> None:
    expected = expected_documents(reference.playbook)
    written = {p.relative_to(reference.out).as_posix() for p in reference.result.files}
    assert written == expected
    assert reference.result.rendered == len(expected)
    assert len(reference.playbook.all("cheat-sheet")) >= 4


@pytest.mark.slow
def test_reference_forms_have_their_fillable_fields(reference: Build) -> None:
    forms = reference.playbook.all("form")
    assert len(forms) >= 5
    for form in forms:
        fields = reference.pdf(f"forms/{form.id}.pdf").get_fields() or {}
        missing = declared_fields(reference.playbook, form.id) - set(fields)
        assert not missing, f"{form.id}: {sorted(missing)}"


def test_form_field_kinds(small: Build) -> None:
    fields = small.pdf("forms/goodwill-approval.pdf").get_fields() or {}
    assert declared_fields(small.playbook, "goodwill-approval") <= set(fields)
    kinds = {name: field.get("/FT") for name, field in fields.items()}
    assert kinds["notes"] == "/Tx"  # textarea
    assert kinds["delivered-on"] == "/Tx"  # date as text
    assert kinds["repeat"] == "/Btn"  # checkbox
    assert kinds["contact-channels:2"] == "/Btn"  # one checkbox per option
    assert kinds["compensation-type"] == "/Ch"  # choice
    options = [str(option[1]) for option in fields["compensation-type"]["/Opt"]]
    assert options == ["", "Goodwill voucher", "Shipping fee waiver"]


def test_a_filled_form_reads_back(small: Build, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=small.out / "forms/goodwill-approval.pdf")
    writer.set_need_appearances_writer(True)
    values = {"case-ref": "KO-123456", "compensation-type": "Shipping fee waiver", "amount": "12.50"}
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    fields = PdfReader(filled).get_fields() or {}
    assert {name: fields[name].get("/V") for name in values} == values


def test_goodwill_form_shows_the_authority_matrix(small: Build) -> None:
    text = small.text("forms/goodwill-approval.pdf")
    assert "Goodwill authority matrix" in text
    assert "€50" in text and "€100" in text  # the team lead's caps


# --- cheat sheets -------------------------------------------------------------------------


@pytest.mark.slow
def test_reference_cheat_sheets_fit_on_one_page(reference: Build) -> None:
    for sheet in reference.playbook.all("cheat-sheet"):
        assert len(reference.pdf(f"cheat-sheets/{sheet.id}.pdf").pages) == 1, sheet.id


def overfull_cheat_sheet(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the small print playbook whose email-agent cheat sheet runs to two pages;
    the playbook folder and the text of its playbook.yaml."""
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    source = (root / "categories" / "missing-item.yaml").read_text(encoding="utf-8")
    extra = [f"extra-case-{n}" for n in range(18)]
    for category_id in extra:
        text = source.replace("id: missing-item", f"id: {category_id}")
        (root / "categories" / f"{category_id}.yaml").write_text(text, encoding="utf-8")
    settings = (root / "playbook.yaml").read_text(encoding="utf-8")
    settings = settings.replace(
        "categories: [missing-item, late-delivery]",
        "categories: [missing-item, late-delivery, " + ", ".join(extra) + "]",
    )
    phrase = (
        "I understand how frustrating this is, and I am going to stay with your case until it is put right."
    )
    settings = settings.replace("    phrases:\n", "    phrases:\n" + f'      - "{phrase}"\n' * 12)
    (root / "playbook.yaml").write_text(settings, encoding="utf-8")
    return root, settings


def test_overfull_cheat_sheet_fails_the_build(tmp_path: Path) -> None:
    root, settings = overfull_cheat_sheet(tmp_path)
    playbook = load(root)
    with pytest.raises(PlaybookError) as caught:
        render_pdfs(playbook, tmp_path / "pdf", tmp_path / "cache")
    [problem] = caught.value.problems
    line = settings.splitlines().index("  - id: email-agent") + 1
    assert (problem.path, problem.line, problem.column) == ("playbook.yaml", line, 5)
    assert problem.rule == "cheat-sheet-overflow"
    assert problem.severity == "error"
    assert re.fullmatch(
        r"cheat sheet 'email-agent' runs to \d+ pages \(about (\d+% of a page|\d+\.\d pages) too much\); "
        r"a cheat sheet must fit on one page — list fewer categories or shorten the phrases",
        problem.message,
    ), problem.message
    # every other document is still written; the overflowing sheet is not
    assert (tmp_path / "pdf" / "playbook.pdf").is_file()
    assert not (tmp_path / "pdf" / "cheat-sheets" / "email-agent.pdf").exists()
    # the verdict is cached with the PDF: a second build fails the same way without rendering
    with pytest.raises(PlaybookError) as again:
        render_pdfs(playbook, tmp_path / "pdf", tmp_path / "cache")
    assert again.value.problems == caught.value.problems


@pytest.mark.slow
def test_overfull_cheat_sheet_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    root, _ = overfull_cheat_sheet(tmp_path)
    good = tmp_path / "good"
    shutil.copytree(SMALL, good)
    out = tmp_path / "out" / "site"
    assert build_site(good, out).ok
    before = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    result = build_site(root, out)
    assert not result.ok and [p.rule for p in result.problems if p.severity == "error"] == [
        "cheat-sheet-overflow"
    ]
    after = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before, "the previous site, byte for byte"
    assert not list(out.parent.glob(".site.build-*")), "no temporary folder left behind"


# --- training editions ----------------------------------------------------------------------


def test_trainer_edition_has_the_answer_key_and_trainee_edition_does_not(small: Build) -> None:
    trainer = small.text("training/basics-trainer.pdf")
    trainee = small.text("training/basics-trainee.pdf")
    for marker in ("ANSWERKEY-OWNER", "ANSWERKEY-WAIT", "ANSWERKEY-SPLIT", "MARKING"):
        assert marker in trainer
        assert marker not in trainee
    assert "FACILITATOR NOTES" in trainer and "FACILITATOR NOTES" not in trainee
    assert "Pair trainees up" in trainer and "Pair trainees up" not in trainee
    assert "0:30–1:15" in trainer  # timings per section
    assert "Pass mark 80%" in trainee and "Pass mark 80%" in trainer
    for shared in ("Why missing items matter", "Spot the category", "Who owns a missing-item case?"):
        assert shared in trainee and shared in trainer


@pytest.mark.slow
def test_reference_trainer_editions_hold_the_explanations(reference: Build) -> None:
    for module in reference.playbook.all("training"):
        trainer = reference.text(f"training/{module.id}-trainer.pdf")
        trainee = reference.text(f"training/{module.id}-trainee.pdf")
        assert "MARKING" in trainer and "MARKING" not in trainee
        taught = " ".join(" ".join(str(section).split()) for section in module.data["sections"])
        for question in module.data["quiz"]["questions"]:
            if "explanation" in question:
                start = " ".join(question["explanation"].split())[:40]
                assert start in trainer, (module.id, start)
                if start not in taught:  # an explanation may repeat what the section teaches
                    assert start not in trainee, (module.id, start)


# --- page size, footer, metadata --------------------------------------------------------------


def page_sizes(reader: PdfReader) -> set[tuple[int, int]]:
    sizes = set()
    for page in reader.pages:
        width, height = round(float(page.mediabox.width)), round(float(page.mediabox.height))
        sizes.add((min(width, height), max(width, height)))  # landscape pages count as the same paper
    return sizes


def test_a4_pages_and_footer(small: Build) -> None:
    for path in small.result.files:
        reader = PdfReader(path)
        assert page_sizes(reader) == ({A3} if path.name == POSTER else {A4}), path
        first = reader.pages[0].extract_text()
        assert "version 1.4" in first and "in force from 1 March 2026" in first, path
        assert f"page 1 of {len(reader.pages)}" in first, path
        assert "printed" not in first and "built on" not in first, path  # no date that is not one


def test_letter_paper(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("paper: A4", "paper: Letter"), "utf-8")
    letter = build(root, tmp_path)
    for path in letter.result.files:
        assert page_sizes(PdfReader(path)) == ({TABLOID} if path.name == POSTER else {LETTER}), path
    assert len(letter.pdf("cheat-sheets/email-agent.pdf").pages) == 1


def test_metadata_tags_and_language(small: Build) -> None:
    reader = small.pdf("training/basics-trainee.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Service basics — trainee edition"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260301000000Z"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_whole_playbook_has_a_table_of_contents_with_page_numbers(small: Build) -> None:
    reader = small.pdf("playbook.pdf")
    contents = " ".join(reader.pages[1].extract_text().split())
    assert "Contents" in contents
    # "Case categories ........ 10": the number is the page the chapter starts on
    match = re.search(r"Case categories\W*?(\d+)", contents)
    assert match is not None, contents
    page = reader.pages[int(match.group(1)) - 1].extract_text()
    assert page.lstrip().startswith("Case categories")
    text = small.text("playbook.pdf")
    for chapter in (
        "Service levels (SLA)",
        "Who does what (RACI)",
        "Goodwill authority",
        "KPIs",
        "Policy values",
    ):
        assert chapter in text


# --- escaping, fonts, network ------------------------------------------------------------------


def test_markup_in_content_prints_as_text(small: Build) -> None:
    sheet = small.text("cheat-sheets/email-agent.pdf")
    assert "Email agent <script>alert(1)</script>" in sheet
    assert "Goodwill approval <b>request</b>" in small.text("forms/goodwill-approval.pdf")
    for doc in print_documents(small.playbook):
        assert "<script" not in doc.html, doc.relpath
        assert "<b>request" not in doc.html, doc.relpath
        assert " object at 0x" not in doc.html, doc.relpath  # a Python repr would break the cache


def test_print_markdown_escapes_then_formats() -> None:
    html = str(
        print_markdown("Hi <img src=x onerror=alert(1)> **bold** [site](javascript:alert)\n\n- one\n- two")
    )
    assert html == (
        "<p>Hi &lt;img src=x onerror=alert(1)&gt; <strong>bold</strong> site</p>\n"
        "<ul><li>one</li><li>two</li></ul>"
    )


def test_fetcher_refuses_the_network() -> None:
    fetcher = local_fetcher()
    for url in ("http://example.com/font.woff2", "https://example.com/x.png", "ftp://example.com/x"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_only_system_fonts_are_embedded(small: Build) -> None:
    fonts: set[str] = set()
    for path in small.result.files:
        for page in PdfReader(path).pages:
            resources = page.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts
    assert all(name.startswith(("Liberation", "DejaVu")) for name in fonts), fonts


# --- cache, reproducibility ------------------------------------------------------------------------


def test_rebuild_renders_only_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    first = build(root, tmp_path)
    assert first.result.rendered == len(first.result.files) and first.result.cached == 0
    lines: list[str] = []
    again = render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache", progress=lines.append)
    assert (again.rendered, again.cached) == (0, len(first.result.files))
    assert again.files == first.result.files
    assert len(lines) == len(first.result.files)
    assert all(re.match(r"\[\d+/\d+\] cached ", line) for line in lines)

    module = root / "training" / "basics.yaml"
    module.write_text(module.read_text("utf-8").replace("Service basics", "Service basics, revised"), "utf-8")
    changed = render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache")
    # the module's handout carries its title too
    assert changed.renders == [
        "playbook.pdf",
        "training/basics-case-studies.pdf",
        "training/basics-trainee.pdf",
        "training/basics-trainer.pdf",
    ]
    assert changed.cached == len(first.result.files) - 4


def test_removed_documents_leave_the_output(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    build(root, tmp_path)
    (root / "qa" / "contact-quality.yaml").unlink()
    after = render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache")
    assert not (tmp_path / "pdf" / "qa").exists()
    assert all("qa/" not in p.as_posix() for p in after.files)


def test_two_builds_are_byte_identical(small: Build, tmp_path: Path) -> None:
    second = build(small.root, tmp_path)  # its own, empty cache
    assert second.result.rendered == len(small.result.files)
    for path in small.result.files:
        relpath = path.relative_to(small.out)
        assert path.read_bytes() == (second.out / relpath).read_bytes(), relpath


def test_source_date_epoch_sets_the_build_date(
    small: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    dated = build(small.root, tmp_path)
    text = dated.text("forms/goodwill-approval.pdf")
    assert "in force from 1 March 2026" in text and "built on 1 January 2026" in text
    meta = dated.pdf("forms/goodwill-approval.pdf").metadata
    assert meta is not None and meta["/CreationDate"] == "D:20260101000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PlaybookError, match="SOURCE_DATE_EPOCH"):
        render_pdfs(small.playbook, tmp_path / "x", tmp_path / "cache")


def test_a_broken_template_override_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    (root / "templates" / "print").mkdir(parents=True)
    (root / "templates" / "print" / "qa.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ card.nmae }}</h1>\n{% endblock %}\n', "utf-8"
    )
    with pytest.raises(PlaybookError) as caught:
        render_pdfs(load(root), tmp_path / "pdf", tmp_path / "cache")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.rule) == ("templates/print/qa.html", 3, "print-template")
    assert "nmae" in problem.message


def test_a_document_that_fails_to_render_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    playbook = load(root)
    [doc] = [d for d in print_documents(playbook) if d.relpath == "qa/contact-quality.pdf"]
    blocker = tmp_path / "cache" / "pdf" / f"{cache_key(doc.html, 'A4')}.pdf"
    blocker.mkdir(parents=True)  # the worker cannot write its PDF there
    lines: list[str] = []
    with pytest.raises(PlaybookError) as caught:
        render_pdfs(playbook, tmp_path / "pdf", tmp_path / "cache", progress=lines.append)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == ("qa/contact-quality.yaml", 2, 1)
    assert problem.rule == "pdf-render-failed"
    assert problem.message.startswith("the PDF qa/contact-quality.pdf could not be rendered (")
    assert any(line.endswith("FAILED qa/contact-quality.pdf") for line in lines)
    assert (tmp_path / "pdf" / "playbook.pdf").is_file()


def test_progress_printer() -> None:
    out: list[str] = []
    plain = progress_printer(out.append, terminal=False)
    plain("[1/2] cached a.pdf")
    assert out == ["[1/2] cached a.pdf\n"]
    out.clear()
    bar = progress_printer(out.append, terminal=True, width=4)
    bar("[1/2] cached a.pdf")
    bar("[2/2] rendered b.pdf (1 p., 0.1 s)")
    assert out[0].startswith("\r") and "[##--] 1/2 cached a.pdf" in out[0]
    assert "[####] 2/2 rendered b.pdf" in out[1] and out[2] == "\n"


# --- pictures for people ---------------------------------------------------------------------------


def first_pages_as_png(source: Build, prefix: str) -> list[Path]:
    """Page 1 of each kind of document as a PNG under test-artifacts/pdf/, to look at."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        if os.environ.get("PLAYBOOKGEN_REQUIRE_BROWSER"):
            pytest.fail("pdftoppm (poppler-utils) is required in CI")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, Path] = {}
    for path in source.result.files:
        relpath = path.relative_to(source.out).as_posix()
        kind = "trainer" if relpath.endswith("-trainer.pdf") else relpath.split("/")[0].removesuffix(".pdf")
        kind = "trainee" if relpath.endswith("-trainee.pdf") else kind
        kind = "handout" if kind == "training" else kind
        kinds.setdefault(kind, path)
    made = []
    for kind, path in sorted(kinds.items()):
        stem = ARTIFACTS / f"{prefix}-{kind}"
        subprocess.run(
            [tool, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, stem], check=True
        )
        made.append(stem.with_suffix(".png"))
    return made


@pytest.mark.slow
def test_first_pages_as_png(reference: Build) -> None:
    made = first_pages_as_png(reference, "reference")
    kinds = ("authority-matrix", "cheat-sheets", "forms", "handout", "playbook", "qa", "trainee", "trainer")
    assert {p.name for p in made} == {f"reference-{kind}.png" for kind in kinds}
    for png in made:
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5_000, png


def test_check_print_finds_an_overfull_cheat_sheet_rendering_only_the_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from playbookgen.cli import main

    root, settings = overfull_cheat_sheet(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(main, ["check", str(root)], catch_exceptions=False)
    assert (plain.exit_code, plain.output) == (0, "No problems found (0 errors, 0 warnings).\n")
    result = runner.invoke(main, ["check", "--print", str(root)], catch_exceptions=False)
    line = settings.splitlines().index("  - id: email-agent") + 1
    assert result.exit_code == 1
    assert result.output.startswith(f"{root}/playbook.yaml:{line}:5: error cheat-sheet-overflow ")
    assert result.output.endswith("1 error, 0 warnings\n")
    cached = list((tmp_path / ".playbookgen-cache" / "pdf").glob("*.pdf"))
    sheets = len(load(root).settings["cheat_sheets"])
    assert len(cached) == sheets, "only the cheat sheets were rendered, into the build's cache"


LONG_LIST_FORM = """\
id: store-visit
title: Store visit report
purpose: Report a visit to one of our stores.
owner: lead
activity: intake
sections:
  - id: visit
    title: Visit
    fields:
      - id: store
        label: Store visited
        type: choice
        required: true
        options: [{stores}]
      - id: departments
        label: Departments seen
        type: multi-choice
        options: [{departments}]
      - id: channel
        label: Channel
        type: choice
        options: [Store, Phone]
"""


def test_a_long_choice_list_prints_as_a_line_to_write_on(tmp_path: Path) -> None:
    """A choice field with more options than print on a page stays one short page: a
    fillable line named by the field's label, with where to look the options up; short
    lists still print every option."""
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    stores = ", ".join(f"Store {n:03d}" for n in range(1, 401))
    departments = ", ".join(f"Department {n}" for n in range(1, 41))
    (root / "forms" / "store-visit.yaml").write_text(
        LONG_LIST_FORM.format(stores=stores, departments=departments), encoding="utf-8"
    )
    playbook = load(root)
    [doc] = print_documents(playbook, kinds=("form",), only={("form", "store-visit")})
    reader = PdfReader(write_html_pdf(doc.html, tmp_path / "store-visit.pdf"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Store visited" in text and "Departments seen" in text
    assert "Write one of the options listed for this field on the form's page in the playbook." in text
    assert (
        "Write the options that apply, as listed for this field on the form's page in the playbook." in text
    )
    assert "Store 077" not in text and "Department 7" not in text
    assert "On paper, circle one: Store / Phone" in text
    fields = reader.get_fields() or {}
    assert fields["store"]["/FT"] == "/Tx" and str(fields["store"]["/TU"]).startswith("Store visited")
    assert int(fields["store"].get("/Ff", 0)) & 2  # still required
    assert fields["departments"]["/FT"] == "/Tx"
    assert fields["channel"]["/FT"] == "/Ch"


def test_a_long_category_list_names_the_category_list_and_the_extra_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reference's intake form lists every category (21 and 'Other': printed in full);
    in a playbook with more categories than print, the line says to write the category's
    name and the options written after the generated ones, in the playbook's language."""
    playbook = load(REFERENCE)
    view = PlaybookView(playbook)
    intake = documents.form(view, playbook.items["form"]["complaint-intake"])
    printed = {f.id: f for section in intake.sections for f in section.fields}
    assert printed["category"].write_in is None and len(printed["category"].options) <= PRINTED_OPTIONS
    for item in playbook.all("form"):  # the reference's forms print every option
        assert all(f.write_in is None for s in documents.form(view, item).sections for f in s.fields)
    monkeypatch.setattr(documents, "PRINTED_OPTIONS", 10)
    intake = documents.form(view, playbook.items["form"]["complaint-intake"])
    fields = {f.id: f for section in intake.sections for f in section.fields}
    assert fields["category"].write_in == (
        "Write the case category's name as the playbook's category list gives it. Or write: Other."
    )
    assert fields["channel"].write_in is None  # 7 options
    [doc] = print_documents(playbook, kinds=("form",), only={("form", "complaint-intake")})
    assert "circle one: Damaged item" not in doc.html
    assert 'name="category"' in doc.html and "<select" in doc.html  # the short lists keep theirs
    dutch = documents.form(
        PlaybookView(playbook, Wording("nl", "EUR")), playbook.items["form"]["complaint-intake"]
    )
    [dutch_category] = [f for s in dutch.sections for f in s.fields if f.id == "category"]
    assert dutch_category.write_in is not None and dutch_category.write_in.startswith("Schrijf de naam")


def test_required_fields_are_flagged_in_the_pdf(small: Build) -> None:
    """Fields the form marks required with * are required for a PDF reader too (flag bit 2)."""
    fields = small.pdf("forms/goodwill-approval.pdf").get_fields() or {}
    required = {name for name, field in fields.items() if int(field.get("/Ff", 0)) & 2}
    assert {"case-ref", "notes", "amount"} <= required
    assert "items" not in required


def page_fills(reader: PdfReader) -> list[float]:
    """How full each page is (0–1): from the top margin down to the lowest line of text above
    the running footer, as a share of the space down to the footer."""
    fills = []
    for page in reader.pages:
        lines: list[float] = []

        def visit(
            text: str, cm: list[float], tm: list[float], font: Any, size: Any, lines: list[float] = lines
        ) -> None:
            if text.strip():
                lines.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        top = float(page.mediabox.height) - 36
        footer = min(lines, default=0.0)
        body = [y for y in lines if y > footer + 5]
        fills.append((top - min(body)) / (top - footer) if body else 0.0)
    return fills


def test_forms_waste_no_paper_and_keep_signatures_with_the_form(reference: Build) -> None:
    """No page of a form is under a third full unless it is the last, and the approval
    (signature) block never stands alone on a page."""
    for form in reference.playbook.all("form"):
        relpath = f"forms/{form.id}.pdf"
        reader = reference.pdf(relpath)
        fills = page_fills(reader)
        assert all(fill >= 1 / 3 for fill in fills[:-1]), (relpath, fills)
        if not form.data.get("approvals"):
            continue
        pages = [[line.strip() for line in page.extract_text().split("\n")] for page in reader.pages]
        where = [(n, lines.index("Approval")) for n, lines in enumerate(pages) if "Approval" in lines]
        assert where, relpath
        for _page, line in where:
            assert line >= 3, (relpath, "the signature block starts a page of its own")


def test_reference_required_fields_are_flagged(reference: Build) -> None:
    for form in reference.playbook.all("form"):
        fields = reference.pdf(f"forms/{form.id}.pdf").get_fields() or {}
        for section in form.data.get("sections", []):
            for field in section.get("fields", []):
                if field.get("type") in ("multi-choice",) or field["id"] not in fields:
                    continue
                flagged = bool(int(fields[field["id"]].get("/Ff", 0)) & 2)
                assert flagged == bool(field.get("required")), (form.id, field["id"])


def smallest_type(reader: PdfReader) -> float:
    """The smallest font size (pt) any text on the pages is set in."""
    sizes: list[float] = []
    for page in reader.pages:

        def visit(
            text: str, cm: list[float], tm: list[float], font: Any, size: Any, sizes: list[float] = sizes
        ) -> None:
            if text.strip() and size:
                sizes.append(float(size) * abs(tm[3]) * abs(cm[3]))

        page.extract_text(visitor_text=visit)
    return min(sizes, default=0.0)


def test_cheat_sheets_are_set_in_at_least_8_pt(small: Build) -> None:
    sheets = [path for path in small.result.files if "cheat-sheets" in path.parts]
    assert sheets
    for path in sheets:
        assert smallest_type(PdfReader(path)) >= 7.95, path


# --- QA scorecards and trainer editions on paper ---------------------------------------------

RADIO = 1 << (16 - 1)
"""The AcroForm button flag 'Radio' (PDF 32000-1, table 226): one kid on at a time."""


def test_qa_ratings_are_one_exclusive_radio_group_per_item(small: Build) -> None:
    """Every item is one radio group holding its scale's ratings (and N/A where offered), so
    Poor and Excellent cannot both be ticked; pass and fail are one group too."""
    fields = small.pdf("qa/contact-quality.pdf").get_fields() or {}
    card = next(iter(small.playbook.all("qa")))
    steps = {"binary": 2, "3-point": 3, "4-point": 4, "5-point": 5}
    for section in card.data["sections"]:
        for item in section["items"]:
            group = fields[f"{section['id']}.{item['id']}"]
            assert group.get("/FT") == "/Btn" and int(group.get("/Ff", 0)) & RADIO, item["id"]
            expected = steps[item["scale"]] + (1 if item.get("na_allowed") else 0)
            assert len(group["/Kids"]) == expected, item["id"]
            # each rating is its own "on" state of the group: a reader turns the others off
            states = [
                next(state for state in kid.get_object()["/AP"]["/N"] if state != "/Off")
                for kid in group["/Kids"]
            ]
            assert len(set(states)) == expected and group.get("/V") == "/Off", (item["id"], states)
    assert int(fields["result"].get("/Ff", 0)) & RADIO and len(fields["result"]["/Kids"]) == 2
    assert not [name for name in fields if ":" in name and not name.endswith((":points", ":score"))]


def test_qa_rating_points_are_whole_numbers(small: Build) -> None:
    from playbookgen.views.learning import rating_points

    assert [rating_points(10, step, 3) for step in range(4)] == [0, 3, 7, 10]
    assert [rating_points(10, step, 4) for step in range(5)] == [0, 3, 5, 8, 10]
    assert rating_points(5, 1, 2) == 3 and rating_points(2.5, 1, 2) == 1.25
    text = small.text("qa/contact-quality.pdf")
    assert re.search(r"\(\d+\)", text) and not re.search(r"\(\d+[.,]\d+\)", text)


def test_reference_qa_scorecard_wastes_no_paper(reference: Build) -> None:
    """No page under a third full, and the last page not mostly blank."""
    for card in reference.playbook.all("qa"):
        fills = page_fills(reference.pdf(f"qa/{card.id}.pdf"))
        assert all(fill >= 1 / 3 for fill in fills[:-1]) and fills[-1] >= 0.5, (card.id, fills)
        assert not re.search(r"\(\d+[.,]\d+\)", reference.text(f"qa/{card.id}.pdf")), card.id


def test_reference_trainer_editions_paginate_by_content(reference: Build) -> None:
    """Sections flow on from the last one: no page under half full unless it is the last, and
    the trainer edition takes at most one page more than the trainee's."""
    for module in reference.playbook.all("training"):
        trainer = reference.pdf(f"training/{module.id}-trainer.pdf")
        trainee = reference.pdf(f"training/{module.id}-trainee.pdf")
        fills = page_fills(trainer)
        assert all(fill >= 1 / 2 for fill in fills[:-1]), (module.id, fills)
        assert len(trainer.pages) <= len(trainee.pages) + 1, module.id


def test_the_answer_key_is_printed_once(small: Build) -> None:
    """A right option is ticked where it is printed, not repeated in an answer line or a key
    table; a short answer and each explanation appear once."""
    trainer = small.text("training/basics-trainer.pdf")
    trainee = small.text("training/basics-trainee.pdf")
    for marker in ("ANSWERKEY-OWNER", "ANSWERKEY-WAIT", "ANSWERKEY-SPLIT"):
        assert trainer.count(marker) == 1, marker
    for option in ("The team lead", "Picking error", "Carrier delay"):
        assert trainer.count(option) == trainee.count(option) == 1, option


# --- what a training module needs printed -----------------------------------------------------


def test_the_authority_matrix_is_a_one_page_landscape_poster(small: Build) -> None:
    reader = small.pdf(POSTER)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = small.text(POSTER)
    assert "Goodwill authority matrix" in text
    for role in small.playbook.all("role"):
        if any(limit.get("role") == role.id for limit in small.playbook.file("authority").data["limits"]):
            assert role.name in text, role.id


def test_handouts_print_their_cards_and_the_module_lists_them(small: Build) -> None:
    cards = small.text("training/basics-case-studies.pdf")
    assert "Missing-item case studies" in cards and "3 cards: cut along the dashed lines." in cards
    assert "Case 1: the empty box" in cards and "Case 3: split order" in cards
    assert "{{" not in cards and "Update them within 2 days." in cards  # policy values filled in
    for edition in ("trainee", "trainer"):
        text = small.text(f"training/basics-{edition}.pdf")
        assert (
            "To print Missing-item case studies (one set per pair); Goodwill authority matrix (poster)"
            in text
        )


@pytest.mark.slow
def test_reference_printouts_of_every_module_are_built(reference: Build) -> None:
    """Every printout a reference module names is a PDF of the same build."""
    from playbookgen.views.learning import training
    from playbookgen.views.typed import PlaybookView

    view = PlaybookView(reference.playbook)
    named = 0
    for item in reference.playbook.all("training"):
        for printout in training(view, item).printouts:
            assert printout.path is not None, (item.id, printout)
            assert (reference.out / printout.path).exists(), (item.id, printout.path)
            named += 1
    assert named >= 20


@pytest.mark.slow
def test_reference_trainee_editions_waste_no_paper(reference: Build) -> None:
    """The quiz follows the last section without a forced page break: no page of a trainee
    edition is under a third full unless it is the last."""
    for module in reference.playbook.all("training"):
        fills = page_fills(reference.pdf(f"training/{module.id}-trainee.pdf"))
        assert all(fill >= 1 / 3 for fill in fills[:-1]), (module.id, fills)


def test_ids_in_bold_prose_print_as_names(small: Build) -> None:
    names = {"missing-item": "Missing item"}
    html = str(print_markdown("Use **missing-item** for gaps, **not-an-id** stays.", None, names))
    assert html == "<p>Use <strong>Missing item</strong> for gaps, <strong>not-an-id</strong> stays.</p>"
    for doc in print_documents(small.playbook):
        for category in small.playbook.all("category"):
            assert f"<strong>{category.id}</strong>" not in doc.html, (doc.relpath, category.id)
    assert "log it as Missing item" in small.text("training/basics-trainee.pdf")
