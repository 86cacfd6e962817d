"""The site's page aids: the print button, breadcrumbs, the last-changed date read from git by
the build, and the feedback link set in playbook.yaml; and What's new said in plain words."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from playbookgen.build import build, translated_playbooks
from playbookgen.check import check
from playbookgen.diff import compare
from playbookgen.lastchanged import Changed, LastChanged, read_last_changed
from playbookgen.model import Playbook, load_playbook
from playbookgen.render.site import site_files
from playbookgen.whatsnew import WhatsNew

from .conftest import EXAMPLES, REFERENCE, edited_copy

SMALL = EXAMPLES / "site-small"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "whats-new"
CATEGORY = "docs/categories/missing-item.md"


def small_copy(tmp_path: Path, feedback: str | None = None) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    if feedback is not None:
        path = root / "playbook.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count("site:\n") == 1
        path.write_text(text.replace("site:\n", f"site:\n  feedback: '{feedback}'\n"), encoding="utf-8")
    return root


def git(repo: Path, *args: str, date: str = "2026-03-04T10:00:00+01:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Playbook Tests",
        "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "Playbook Tests",
        "GIT_COMMITTER_EMAIL": "tests@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


# --- print button and page foot ---------------------------------------------------------------


def test_every_content_page_has_a_print_button_before_its_title(tmp_path: Path) -> None:
    playbook, _ = load_playbook(SMALL)
    files = site_files(playbook).files
    # The button is the theme's (beside Material's page actions), not part of the page: search
    # must not index an empty section before the title.
    for page in (CATEGORY, "docs/forms/complaint-intake.md", "docs/for/in-store.md", "docs/whats-new.md"):
        assert "pb-print" not in files[page], page
        assert "print_button" not in files[page].split("---\n", 2)[1], page
    assert "print_button: false" in files["docs/tags.md"].split("---\n", 2)[1]
    assert "print: Print this page" in files["mkdocs.yml"]
    partial = (Path(__file__).parents[1] / "templates/site/overrides/partials/content.html").read_text()
    start = partial.index("{% if page.meta.print_button is not false %}")
    button = partial[start : partial.index("{% endif %}", start)]
    assert 'class="md-content__button md-icon pb-print"' in button
    assert " hidden>" in button  # shown by the site's script only: print needs one
    assert 'aria-label="{{ config.extra.playbook.words.print }}"' in button
    assert partial.index("pb-print") < partial.index("{{ page.content }}")
    css = (Path(__file__).parents[1] / "templates/site/assets/stylesheets/playbook.css").read_text()
    assert re.search(r"@media print \{\s*\.md-path,\s*\.md-typeset \.pb-print,", css)


def test_the_print_button_is_in_the_readers_language() -> None:
    checked = check(REFERENCE)
    [(_, dutch)] = translated_playbooks(checked.playbook)
    files = site_files(dutch).files
    assert "print: Deze pagina afdrukken" in files["mkdocs.yml"]


def test_the_feedback_link_is_on_every_page_with_the_page_title_as_mail_subject(tmp_path: Path) -> None:
    playbook, problems = load_playbook(small_copy(tmp_path, "mailto:service@fjord.example"))
    assert not problems
    files = site_files(playbook).files
    page = files[CATEGORY]
    subject = "Small%20Site%20Playbook%3A%20Missing%20item"
    assert (
        '<p class="pb-feedback">Something wrong or unclear? '
        f'<a href="mailto:service@fjord.example?subject={subject}">Tell us</a></p>'
    ) in page
    pages = [p for p in files if p.startswith("docs/") and p.endswith(".md") and p != "docs/tags.md"]
    assert all("pb-feedback" in files[p] for p in pages)


def test_a_web_form_is_linked_as_it_is_and_escaped(tmp_path: Path) -> None:
    address = 'https://forms.fjord.example/playbook?page=a&b="x'
    playbook, problems = load_playbook(small_copy(tmp_path, address))
    assert not problems
    page = site_files(playbook).files[CATEGORY]
    assert '<a href="https://forms.fjord.example/playbook?page=a&amp;b=&#34;x">Tell us</a>' in page


@pytest.mark.parametrize("address", ["javascript:alert(1)", "http://forms.example", "mailto:a b@x.example"])
def test_a_feedback_address_that_is_not_mailto_or_https_is_an_error(tmp_path: Path, address: str) -> None:
    root = small_copy(tmp_path, address)
    checked = check(root)
    found = [p for p in checked.problems if p.rule == "schema-bad-format"]
    assert len(found) == 1, checked.problems
    [problem] = found
    assert problem.path == "playbook.yaml" and problem.severity == "error"
    assert "where readers report something wrong or unclear" in problem.message
    # Rendered anyway (site_files on an unchecked playbook), an unsafe address shows no link.
    playbook, _ = load_playbook(root)
    assert "pb-feedback" not in site_files(playbook).files[CATEGORY]


def test_without_a_feedback_address_or_dates_there_is_no_page_foot() -> None:
    playbook, _ = load_playbook(SMALL)
    assert "pb-page-foot" not in site_files(playbook).files[CATEGORY]


# --- last changed, from git -------------------------------------------------------------------


def test_the_last_changed_date_is_the_commit_date_of_the_pages_source(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(SMALL, repo / "playbook")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", date="2026-03-04T23:30:00-05:00")  # the committer's own day
    attitude = repo / "playbook/categories/staff-attitude.yaml"
    attitude.write_text(attitude.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    git(repo, "commit", "-qam", "second", date="2026-05-06T10:00:00+02:00")

    dates = read_last_changed(repo / "playbook")
    assert dates == read_last_changed(repo / "playbook")  # same repository, same answer
    assert dates.page("categories/missing-item.yaml") == Changed("2026-03-04")
    assert dates.page("categories/staff-attitude.yaml") == Changed("2026-05-06")

    playbook, _ = load_playbook(repo / "playbook")
    first = site_files(playbook, last_changed=dates).files
    assert '<p class="pb-changed">Last changed 4 March 2026.</p>' in first[CATEGORY]
    assert '<p class="pb-changed">Last changed 6 May 2026.</p>' in first["docs/categories/staff-attitude.md"]
    assert site_files(playbook, last_changed=read_last_changed(repo / "playbook")).files == first

    # Uncommitted: an edit to a committed file, and a file git has never seen.
    missing = repo / "playbook/categories/missing-item.yaml"
    missing.write_text(missing.read_text(encoding="utf-8") + "# draft\n", encoding="utf-8")
    shutil.copy(repo / "playbook/forms/complaint-intake.yaml", repo / "playbook/forms/copy-intake.yaml")
    dates = read_last_changed(repo / "playbook")
    assert dates.page("categories/missing-item.yaml") == Changed("2026-03-04", pending=True)
    assert dates.page("forms/copy-intake.yaml") == Changed(None, pending=True)
    page = site_files(playbook, last_changed=dates).files[CATEGORY]
    assert "Last changed 4 March 2026; newer changes are not yet committed." in page
    assert str(tmp_path) not in page


def test_a_shallow_clone_gives_the_cut_files_an_on_or_before_date(tmp_path: Path) -> None:
    """CI clones shallowly: git shows the oldest commit present as adding every file, so a file
    last changed before it gets 'on or before' that day, not that day."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(SMALL, repo / "playbook")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", date="2026-01-10T10:00:00+01:00")
    for day, name in (("2026-03-04", "staff-attitude"), ("2026-05-06", "missing-item")):
        path = repo / f"playbook/categories/{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
        git(repo, "commit", "-qam", name, date=f"{day}T10:00:00+02:00")
    full = read_last_changed(repo / "playbook")
    assert full.page("forms/complaint-intake.yaml") == Changed("2026-01-10")
    assert not full.cut

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    dates = read_last_changed(clone / "playbook")
    assert dates.page("categories/missing-item.yaml") == Changed("2026-05-06")
    assert dates.page("categories/staff-attitude.yaml") == Changed("2026-03-04", or_before=True)
    assert dates.page("forms/complaint-intake.yaml") == Changed("2026-03-04", or_before=True)
    playbook, _ = load_playbook(clone / "playbook")
    pages = site_files(playbook, last_changed=dates).files
    assert '<p class="pb-changed">Last changed 6 May 2026.</p>' in pages[CATEGORY]
    assert "Last changed on or before 4 March 2026." in pages["docs/categories/staff-attitude.md"]


def test_a_playbook_outside_git_says_so_without_a_path(tmp_path: Path) -> None:
    root = small_copy(tmp_path)
    dates = read_last_changed(root)
    assert dates == LastChanged() and not dates.in_git
    playbook, _ = load_playbook(root)
    page = site_files(playbook, last_changed=dates).files[CATEGORY]
    assert "Last changed: not recorded (the playbook is not kept in git)." in page
    assert str(tmp_path) not in page


def test_a_translated_page_changed_when_its_source_or_its_translation_last_did() -> None:
    dates = LastChanged(
        {"categories/x.yaml": "2026-03-04", "translations/nl/categories/x.yaml": "2026-05-06"},
        frozenset({"translations/nl/categories/y.yaml"}),
        in_git=True,
    )
    assert dates.page("categories/x.yaml") == Changed("2026-03-04")
    assert dates.in_language("nl").page("categories/x.yaml") == Changed("2026-05-06")
    assert dates.in_language("nl").page("categories/y.yaml") == Changed(None, pending=True)
    assert dates.page("categories/y.yaml") == Changed(None)


# --- breadcrumbs and the whole build --------------------------------------------------------------


@pytest.mark.slow
def test_built_pages_carry_breadcrumbs_print_button_and_foot(tmp_path: Path) -> None:
    root = small_copy(tmp_path, "https://forms.fjord.example/playbook")
    result = build(root, tmp_path / "site", pdf=False)
    assert result.ok, result.problems
    html = (result.out / "categories/missing-item/index.html").read_text(encoding="utf-8")
    start = html.index('<nav class="md-path"')
    crumbs = html[start : html.index("</nav>", start)]
    names = re.findall(r'<span class="md-ellipsis">([^<]*)</span>', crumbs)
    assert names[:2] == ["Home", "Case categories"] and len(names) == 3
    assert '<a href="../" class="md-path__link"><span class="md-ellipsis">Case categories' in crumbs
    assert 'class="md-path__link pb-path__section"' in crumbs  # an area has no page of its own
    assert html.index('class="md-content__button md-icon pb-print"') < html.index("<h1")
    assert "Last changed: not recorded" in html
    tags = (result.out / "tags/index.html").read_text(encoding="utf-8")
    assert "pb-print" not in tags
    assert '<a href="https://forms.fjord.example/playbook">Tell us</a>' in html


# --- What's new in plain words ------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> Playbook:
    playbook, problems = load_playbook(REFERENCE)
    assert not [p for p in problems if p.severity == "error"]
    return playbook


EDITS = {
    "playbook.yaml": [('\nversion: "2026.11"', '\nversion: "2026.12"')],
    "authority.yaml": [
        (
            "gesture barcode.\n    caps:\n      - type: voucher\n        per_case: 15\n",
            "gesture barcode.\n    caps:\n      - type: voucher\n        per_case: 20\n",
        )
    ],
    "policies.yaml": [
        ("    name: Return window\n    value: 30\n", "    name: Return window\n    value: 14\n"),
    ],
    "categories/returns.yaml": [
        (
            "summary: The customer wants to return or exchange an item,",
            "summary: The customer wants to return or swap an item,",
        )
    ],
}


def test_whats_new_reads_for_a_store_clerk_in_english_and_dutch(reference: Playbook, tmp_path: Path) -> None:
    new, problems = load_playbook(edited_copy(REFERENCE, tmp_path / "playbook", EDITS))
    assert not [p for p in problems if p.severity == "error"]
    news = WhatsNew(compare(reference, new, old_label="git:0123456789ab"))
    [(_, dutch)] = translated_playbooks(new)
    found = {
        "en.md": site_files(new, whats_new=news).files["docs/whats-new.md"],
        "nl.md": site_files(dutch, whats_new=news).files["docs/whats-new.md"],
    }
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        GOLDENS.mkdir(parents=True, exist_ok=True)
        for name, text in found.items():
            (GOLDENS / name).write_text(text, encoding="utf-8", newline="\n")
    for name, text in found.items():
        assert text == (GOLDENS / name).read_text(encoding="utf-8"), f"{name} differs from its golden"
    english, dutch_page = found["en.md"], found["nl.md"]
    assert "## Changes since version 2026.11 (in force from 1 November 2026)" in english
    assert "## Wijzigingen sinds versie 2026.11 (geldig vanaf 1 november 2026)" in dutch_page
    assert "Store associate may now give up to €20 goodwill voucher per case (was €15)." in english
    assert "**[Returns and exchanges](categories/returns.md)**" in english
    for page in found.values():
        seen = re.sub(r"<[^>]+>", "", page)  # what a reader sees: no markup, no class names
        assert "git:0123456789ab" not in seen and "Comparing" not in seen
        assert "loosened" not in seen and "tightened" not in seen
        assert "`" not in seen.split("## Changelog")[0]  # no code-styled ids
    assert '<span class="pb-change pb-change--loosened">more room</span>' in english
    assert '<span class="pb-change pb-change--loosened">meer ruimte</span>' in dutch_page


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [None, {"width": 360, "height": 740}], ids=["desktop", "phone"])
def test_a_reader_prints_from_the_button_and_sees_the_aids(
    site: Any, open_tab: Any, viewport: dict[str, int] | None
) -> None:
    tab = open_tab(viewport)
    page = tab.page
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(site.url + "nl/categories/missing-item/")
    page.wait_for_load_state("networkidle")
    button = page.locator("button.pb-print")
    assert button.is_visible()
    assert button.get_attribute("aria-label") == "Deze pagina afdrukken"
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    button.click()
    assert page.evaluate("window.__printed") == 1
    crumbs = page.locator("nav.md-path .md-ellipsis").all_inner_texts()
    assert [c.strip() for c in crumbs] == ["Home", "Zaakcategorieën", "Bestellingen & bezorging"]
    assert page.locator(".pb-feedback a").inner_text() == "Laat het ons weten"
    assert page.locator(".pb-changed").inner_text().startswith("Laatst gewijzigd")
    page.emulate_media(media="print")
    assert not button.is_visible() and not page.locator("nav.md-path").is_visible()
    assert page.locator(".pb-changed").is_visible()
    assert tab.errors == [] and tab.foreign_requests() == []
