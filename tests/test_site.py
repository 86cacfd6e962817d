"""The site source: golden Markdown/mkdocs.yml tree, escaping, diagrams, template errors."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from playbookgen.build import build, run_mkdocs
from playbookgen.model import load_playbook
from playbookgen.problems import PlaybookError
from playbookgen.render import site as site_module
from playbookgen.render.site import page_link, site_files, write_files
from playbookgen.render.svg import WIDTH, escalation_model_svg, escalation_svg, text_width, wrap
from playbookgen.views.typed import PlaybookView
from playbookgen.whatsnew import WhatsNew

from .conftest import EXAMPLES, REFERENCE

SMALL = EXAMPLES / "site-small"
GOLDENS = Path(__file__).resolve().parent / "goldens" / "site"
GOLDEN_SUFFIXES = (".md", ".yml", ".svg")
"""Generated files compared with the goldens; copied static assets (CSS, JS, overrides) are not,
nor the rules page, which shows playbookgen's rule docstrings rather than the playbook."""


def golden_tree(files: dict[str, str]) -> dict[str, str]:
    return {
        path: text
        for path, text in files.items()
        if path.endswith(GOLDEN_SUFFIXES) and path != "docs/rules.md"
    }


def test_small_playbook_matches_goldens() -> None:
    playbook, problems = load_playbook(SMALL)
    assert not problems
    files = golden_tree(site_files(playbook, pdf=False).files)
    if os.environ.get("PLAYBOOKGEN_UPDATE_GOLDENS") == "1":
        shutil.rmtree(GOLDENS, ignore_errors=True)
        for relpath, text in files.items():
            target = GOLDENS / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    expected = {
        path.relative_to(GOLDENS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(GOLDENS.rglob("*"))
        if path.is_file()
    }
    assert sorted(files) == sorted(expected), "set PLAYBOOKGEN_UPDATE_GOLDENS=1 to accept new files"
    for relpath, text in files.items():
        assert text == expected[relpath], f"{relpath} differs from its golden"


def test_site_source_links_pdfs_only_when_they_are_built() -> None:
    playbook, _ = load_playbook(SMALL)
    without = site_files(playbook, pdf=False).files
    with_pdf = site_files(playbook, pdf=True).files
    category = "docs/categories/missing-item.md"
    assert "pdf/forms/complaint-intake.pdf" not in without[category]
    assert "](../pdf/forms/complaint-intake.pdf)" in with_pdf[category]
    assert "docs/printouts.md" in with_pdf and "docs/printouts.md" not in without
    assert "(../pdf/training/complaint-basics-trainer.pdf)" in with_pdf["docs/training/complaint-basics.md"]


def test_mkdocs_config_fetches_nothing_from_other_hosts() -> None:
    playbook, _ = load_playbook(SMALL)
    online = yaml.safe_load(site_files(playbook).files["mkdocs.yml"])
    offline = yaml.safe_load(site_files(playbook, offline=True).files["mkdocs.yml"])
    assert online["theme"]["font"] is False
    assert "navigation.instant" not in online["theme"]["features"]
    assert online["use_directory_urls"] is True
    assert offline["use_directory_urls"] is False
    assert "offline" in offline["plugins"]
    # The offline plugin adds a polyfill from unpkg.com unless one named iframe-worker is there.
    assert any("iframe-worker" in script for script in offline["extra"]["polyfills"])
    assert not any("://" in script for script in offline["extra"]["polyfills"])
    assert "repo_url" not in online  # Material would fetch repository facts from GitHub
    assert online["copyright"] == "Fjord Goods · Version 3.2 · in force from 1 May 2026"


def test_search_finds_categories_by_keywords_in_the_page() -> None:
    playbook, _ = load_playbook(SMALL)
    page = site_files(playbook).files["docs/categories/staff-attitude.md"]
    assert "**Also known as:** rude · unfriendly · ignored" in page
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["search"]["boost"] > 1
    assert front["tags"] == ["In store", "Retail store"]


def test_policy_values_are_filled_in() -> None:
    playbook, _ = load_playbook(SMALL)
    page = site_files(playbook).files["docs/categories/missing-item.md"]
    assert "Ask within 48 hours of delivery" in page
    assert "{{" not in page


def hostile_playbook(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    path = root / "categories" / "missing-item.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Missing item", 'name: "Missing <script>alert(1)</script> & co"')
    text = text.replace(
        "summary: An item is missing from the parcel.",
        'summary: "<img src=x onerror=alert(2)> ![pixel](https://tracker.example/p.png)"',
    )
    text = text.replace("area: Orders & delivery", 'area: "Orders </a><b>bold</b>"')
    path.write_text(text, encoding="utf-8")
    (root / "playbook.yaml").write_text(
        (root / "playbook.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Small Site Playbook", 'name: "Small </title><script>alert(3)</script>"'),
        encoding="utf-8",
    )
    return root


def test_html_in_yaml_is_escaped_in_markdown(tmp_path: Path) -> None:
    playbook, problems = load_playbook(hostile_playbook(tmp_path))
    assert not [p for p in problems if p.severity == "error"]
    files = site_files(playbook).files
    page = files["docs/categories/missing-item.md"]
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<img src=x" not in page
    assert "![pixel]" not in page  # an image would be fetched from another host
    config = yaml.safe_load(files["mkdocs.yml"])
    assert config["site_name"] == "Small &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;"
    assert "Orders &lt;/a&gt;&lt;b&gt;bold&lt;/b&gt;" in str(config["nav"])


def test_script_tag_in_a_category_name_shows_as_text_in_the_site(tmp_path: Path) -> None:
    result = build(hostile_playbook(tmp_path), tmp_path / "site", pdf=False)
    assert result.ok, result.problems
    html = (tmp_path / "site" / "categories" / "missing-item" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert 'src="https://tracker.example' not in html  # shown as a link, never fetched
    assert '>Missing &lt;script&gt;alert(1)&lt;/script&gt; &amp; co<a class="headerlink"' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "<" not in title.group(1)
    for path in (tmp_path / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text and "alert(3)</script>" not in text, path


def test_template_error_points_at_the_template(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    override = root / "templates" / "site" / "pages" / "category.md"
    override.parent.mkdir(parents=True)
    override.write_text("# {{ category.name }}\n\n{{ category.data.no_such_field }}\n", encoding="utf-8")
    playbook, _ = load_playbook(root)
    with pytest.raises(PlaybookError) as caught:
        site_files(playbook)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.rule) == (
        "templates/site/pages/category.md",
        3,
        "template-error",
    )
    assert "no_such_field" in problem.message and "\n" not in problem.message


def test_template_syntax_error_points_at_the_template(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    override = root / "templates" / "site" / "pages" / "home.md"
    override.parent.mkdir(parents=True)
    override.write_text("# Home\n\n{% if %}\n", encoding="utf-8")
    playbook, _ = load_playbook(root)
    with pytest.raises(PlaybookError) as caught:
        site_files(playbook)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("templates/site/pages/home.md", 3)
    assert problem.message.startswith("TemplateSyntaxError:")


def test_playbook_overrides_a_static_asset(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    css = root / "templates" / "site" / "assets" / "stylesheets" / "playbook.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* ours */\n", encoding="utf-8")
    playbook, _ = load_playbook(root)
    assert site_files(playbook).files["docs/assets/stylesheets/playbook.css"] == "/* ours */\n"


def test_every_reference_page_is_generated() -> None:
    playbook, problems = load_playbook(REFERENCE)
    assert not [p for p in problems if p.severity == "error"]
    source = site_files(playbook, pdf=False)
    for category in playbook.all("category"):
        assert f"categories/{category.id}.md" in source.pages
        assert f"docs/diagrams/{category.id}.svg" in source.files
    for page in ("sla.md", "priorities.md", "calendars.md", "escalation.md", "raci.md", "authority.md"):
        assert page in source.pages
    for page in ("kpis.md", "policies.md", "recovery/index.md", "training/index.md", "forms/index.md"):
        assert page in source.pages
    assert source.sources["categories/missing-item.md"] == "categories/missing-item.yaml"


def test_rules_page_appears_when_the_rules_registry_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake() -> list[dict[str, str]]:
        return [
            {
                "id": "demo-rule",
                "severity": "error",
                "summary": "Demo <b>summary</b>.",
                "body": "",
                "stage": "rules",
            }
        ]

    monkeypatch.setattr(site_module, "rules_reference", fake)
    playbook, _ = load_playbook(SMALL)
    files = site_files(playbook).files
    assert "### `demo-rule` { #demo-rule }" in files["docs/rules.md"]
    assert "Demo &lt;b&gt;summary&lt;/b&gt;." in files["docs/rules.md"]
    assert "rules.md" in files["mkdocs.yml"]


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.md", "sla.md", "sla.md"),
        ("categories/missing-item.md", "sla.md#standard", "../sla.md#standard"),
        ("categories/a.md", "categories/b.md", "b.md"),
        ("raci.md", "raci.md#intake", "#intake"),
        ("forms/x.md", "pdf/forms/x.pdf", "../pdf/forms/x.pdf"),
    ],
)
def test_page_link(page: str, target: str, expected: str) -> None:
    assert page_link(page, target) == expected


def test_escalation_svg_is_standalone_escaped_and_fits() -> None:
    playbook, _ = load_playbook(REFERENCE)
    view = PlaybookView(playbook)
    for category in view.categories():
        svg = escalation_svg(category, view.words)
        assert svg == escalation_svg(PlaybookView(playbook).category(category.id), view.words)
        root = ET.fromstring(svg)
        assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
        assert "href" not in svg and "@import" not in svg and "<script" not in svg
        for element in root.iter("{http://www.w3.org/2000/svg}text"):
            x = float(element.get("x", "0"))
            size = float(element.get("font-size", "12"))
            bold = element.get("font-weight") == "bold"
            assert x + text_width(element.text or "", size, bold=bold) <= WIDTH, (category.id, element.text)
    ET.fromstring(escalation_model_svg(view))


def test_escalation_svg_escapes_names(tmp_path: Path) -> None:
    playbook, _ = load_playbook(hostile_playbook(tmp_path))
    view = PlaybookView(playbook)
    svg = escalation_svg(view.category(playbook.all("category")[0].id), view.words)
    assert "<script>" not in svg
    title = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text is not None and "<script>" in title.text


def test_wrap_breaks_long_words() -> None:
    lines = wrap("a " + "x" * 80 + " b", 13, 120)
    assert all(text_width(line, 13) <= 120 for line in lines)
    assert "".join(lines).replace("-", "").replace(" ", "") == "a" + "x" * 80 + "b"


def test_a_playbook_with_only_the_required_files_builds(tmp_path: Path) -> None:
    playbook, _ = load_playbook(EXAMPLES / "minimal")
    source = site_files(playbook)
    assert "authority.md" not in source.pages and "recovery/index.md" not in source.pages
    write_files(source.files, tmp_path / "source")
    run_mkdocs(playbook, tmp_path / "source" / "mkdocs.yml", tmp_path / "site", source)
    assert (tmp_path / "site" / "categories" / "missing-item" / "index.html").is_file()


def test_version_selector_for_sites_published_with_mike() -> None:
    playbook, _ = load_playbook(SMALL)
    plain = yaml.safe_load(site_files(playbook).files["mkdocs.yml"])
    versioned = yaml.safe_load(site_files(playbook, version_selector="latest").files["mkdocs.yml"])
    assert "version" not in plain["extra"]
    assert versioned["extra"]["version"] == {"provider": "mike", "default": "latest"}


def test_rules_page_documents_the_build_checks() -> None:
    playbook, _ = load_playbook(SMALL)
    page = site_files(playbook).files["docs/rules.md"]
    for rule_id in (
        "build-output",
        "template-error",
        "site-build",
        "print-template",
        "pdf-render-failed",
        "cheat-sheet-overflow",
        "previous-version-unreadable",
    ):
        assert f"### `{rule_id}` {{ #{rule_id} }}" in page
    assert "*Stage: build · severity: warning.* The previous version named in playbook.yaml" in page


def test_the_site_renders_what_it_is_given_about_the_previous_version(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SMALL, root)
    with (root / "playbook.yaml").open("a", encoding="utf-8") as file:
        file.write("previous: git:v0\n")
    playbook, _ = load_playbook(root)
    unread = site_files(playbook).files["docs/whats-new.md"]
    assert "the previous version git:v0 was not read for this rendering" in unread
    given = WhatsNew(None, "the previous version git:v0 cannot be read: <b>no such tag</b>")
    page = site_files(playbook, whats_new=given).files["docs/whats-new.md"]
    assert "No comparison with an earlier version: the previous version git:v0 cannot be read: " in page
    assert "&lt;b&gt;no such tag&lt;/b&gt;" in page
