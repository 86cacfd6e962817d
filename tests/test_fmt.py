"""`playbookgen fmt`: one layout, every value and comment kept, idempotent, exit codes."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from playbookgen.check import check
from playbookgen.cli import main
from playbookgen.fmt import WIDTH, FmtError, format_path, format_text
from playbookgen.loader import load_bytes
from playbookgen.resources import resource_dir
from playbookgen.schema import load_schema

from .conftest import EXAMPLES, REFERENCE, REPO
from .test_rules import BASE, build

FMT = EXAMPLES / "fmt"
SCAFFOLD = resource_dir("templates") / "init" / "playbook"
EXAMPLE_PLAYBOOKS = [
    EXAMPLES / "minimal",
    EXAMPLES / "site-small",
    EXAMPLES / "print-small",
    EXAMPLES / "diff" / "base",
    BASE,
]


def data(text: str) -> object:
    """What playbookgen itself reads from ``text``."""
    doc, problems = load_bytes(text.encode("utf-8"), Path("x.yaml"), "x.yaml")
    assert doc is not None, problems
    return doc.data


def comments(text: str) -> list[str]:
    """Every comment's text, in order: what is left of the file once its values are masked."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    masked = list(text)
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if not isinstance(token, yaml.ScalarToken):
            continue
        end = token.end_mark.index
        if token.style in ("|", ">"):  # the scanner's block scalar runs on over comments after it
            number = token.start_mark.line + 1
            indent = None
            while number < len(lines):
                stripped = lines[number].lstrip()
                depth = len(lines[number]) - len(stripped)
                if stripped.strip() and indent is None:
                    indent = depth
                if stripped.strip() and indent is not None and depth < indent:
                    break
                number += 1
            end = min(end, starts[number])
        for index in range(token.start_mark.index, end):
            masked[index] = "x" if text[index] != "\n" else "\n"
    return [m.group(0).strip() for m in re.finditer(r"(?:^|(?<=\s))#[^\n]*", "".join(masked), re.MULTILINE)]


def flow_lines(text: str) -> list[int]:
    """Lines where a non-empty {…} or […] starts (flow style) without a suppression on them."""
    lines = text.splitlines()
    found = []
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    for event, following in itertools.pairwise(events):
        starts = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        empty = isinstance(following, (yaml.MappingEndEvent, yaml.SequenceEndEvent))
        if starts and event.flow_style and not empty and "ignore[" not in lines[event.start_mark.line]:
            found.append(event.start_mark.line + 1)
    return found


def fmt_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["fmt", *args], catch_exceptions=False)
    return result.exit_code, result.output


# --- the project's own files are in the canonical layout ---------------------------------


@pytest.mark.parametrize("folder", [REFERENCE, SCAFFOLD], ids=["reference", "scaffold"])
def test_reference_playbook_and_scaffold_are_formatted(folder: Path) -> None:
    result = format_path(folder, check=True)
    assert result.problems == []
    assert result.changed == [], "run: playbookgen fmt " + str(folder)
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert flow_lines(text) == [], f"{path}: flow style"
        assert text.startswith("# yaml-language-server: $schema="), f"{path}: modeline kept first"


def test_reference_playbook_modeline_and_previous_comment_survive() -> None:
    text = (REFERENCE / "playbook.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/playbook.schema.json"
    assert re.search(r'^previous: "git:[0-9a-f]+"  # the 2026\.10 release', text, re.MULTILINE)


# --- a deliberately messy file ----------------------------------------------------------


def test_messy_file_exact_layout() -> None:
    messy = (FMT / "messy.yaml").read_text(encoding="utf-8")
    formatted = format_text(messy, "category")
    assert formatted == (FMT / "messy.formatted.yaml").read_text(encoding="utf-8")
    assert data(formatted) == data(messy), "no value changes"
    assert comments(formatted) == comments(messy), "every comment kept, in order"
    assert len(comments(messy)) == 10
    assert format_text(formatted, "category") == formatted, "idempotent"


def test_messy_file_keys_follow_the_schema() -> None:
    formatted = (FMT / "messy.formatted.yaml").read_text(encoding="utf-8")
    keys = re.findall(r"^([a-z_]+):", formatted, re.MULTILINE)
    schema_order = list(load_schema("category")["properties"])
    assert keys == sorted(keys, key=schema_order.index)
    assert "  - do: Check the packing record.\n    owner: agent\n" in formatted, "steps keys in order"


# --- every example playbook: values, comments, idempotence, the same check --------------


@pytest.mark.parametrize("folder", EXAMPLE_PLAYBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_example_playbooks_keep_values_comments_and_check_results(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "playbook"
    shutil.copytree(folder, copy)
    before = {p.relative_to(copy): p.read_text(encoding="utf-8") for p in copy.rglob("*.yaml")}
    checked = [(p.path, p.rule, p.severity, p.message, p.suppressed) for p in check(copy).problems]
    result = format_path(copy)
    assert result.problems == []
    for relative, text in before.items():
        after = (copy / relative).read_text(encoding="utf-8")
        assert data(after) == data(text), relative
        assert comments(after) == comments(text), relative
        assert flow_lines(after) == [], relative
    assert format_path(copy, check=True).changed == [], "a second run changes nothing"
    assert [(p.path, p.rule, p.severity, p.message, p.suppressed) for p in check(copy).problems] == checked


def test_suppressions_still_apply_after_fmt(tmp_path: Path) -> None:
    audit = (
        (BASE / "forms/closure.yaml")
        .read_text()
        .replace("id: closure", "id: audit  # playbookgen: ignore[orphaned-item] kept for the yearly audit")
    )
    audit = audit.replace(
        "      - id: action\n        label: Corrective action\n        type: textarea\n"
        "        captures: corrective-action\n",
        "      - {id: action, label: Corrective action, type: textarea, captures: corrective-action}\n",
    )
    root = build(tmp_path / "playbook", {"forms/audit.yaml": audit})
    (root / "forms/audit.yaml").write_text(
        "title: Audit\n" + (root / "forms/audit.yaml").read_text().replace("title: Case closure\n", "")
    )
    problems = [p for p in check(root).problems if p.path == "forms/audit.yaml"]
    assert [(p.rule, p.suppressed) for p in problems] == [("orphaned-item", "kept for the yearly audit")]
    assert "forms/audit.yaml" in format_path(root).changed
    text = (root / "forms/audit.yaml").read_text()
    assert text.startswith(
        "id: audit  # playbookgen: ignore[orphaned-item] kept for the yearly audit\ntitle: Audit\n"
    )
    after = [p for p in check(root).problems if p.path == "forms/audit.yaml"]
    assert [(p.line, p.rule, p.suppressed) for p in after] == [
        (1, "orphaned-item", "kept for the yearly audit")
    ]


def test_a_flow_collection_with_a_suppression_keeps_its_line() -> None:
    text = "channels: [email, chat]  # playbookgen: ignore[some-rule] agreed\nother: [a, b]\n"
    assert format_text(text, None) == (
        "channels: [email, chat]  # playbookgen: ignore[some-rule] agreed\nother:\n  - a\n  - b\n"
    )


# --- values ------------------------------------------------------------------------------


def test_text_that_yaml_could_read_as_something_else_stays_quoted() -> None:
    values = [
        "no", "yes", "on", "true", "null", "12:30", "08:00", "1e3", "2026-11-01", "2026.11", "+31 20 555",
        "010", "a: b", "a #b", "- x", "@x", "", " padded ", "{{ policy.x }} days", "it's", 'say "hi"',
    ]  # fmt: skip
    text = "".join(f"k{i}: {json_string(v)}\n" for i, v in enumerate(values))
    formatted = format_text(text, None)
    assert data(formatted) == {f"k{i}": v for i, v in enumerate(values)}
    assert 'k0: "no"\n' in formatted and 'k6: "08:00"\n' in formatted and "k19: it's\n" in formatted
    assert 'k20: say "hi"\n' in formatted


def json_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_long_text_is_folded_within_the_width() -> None:
    long = " ".join(["word"] * 60)
    formatted = format_text(f"summary: {long}\nsteps:\n  - do: {long}\n", None)
    assert formatted.startswith("summary: >-\n  word word")
    assert all(len(line) <= WIDTH for line in formatted.splitlines())
    assert data(formatted) == {"summary": long, "steps": [{"do": long}]}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdefghij,.:;'\"#-—é“”!?()", min_size=1, max_size=12), min_size=1, max_size=40
    ),
    st.lists(st.sampled_from([" ", " ", " ", "  ", "   "]), min_size=40, max_size=40),
)
def test_folding_never_changes_a_value(words: list[str], gaps: list[str]) -> None:
    value = "".join(word + gap for word, gap in zip(words, gaps, strict=False)).strip()
    source = f"text: {json_string(value)}\nlist:\n  - {json_string(value)}\n"
    formatted = format_text(source, None)
    assert data(formatted) == data(source)
    assert format_text(formatted, None) == formatted


def test_files_it_cannot_read_are_reported_and_left_alone(tmp_path: Path) -> None:
    with pytest.raises(FmtError) as raised:
        format_text("a: [1, 2\n", None)
    assert raised.value.args[0][0].rule == "yaml-syntax"
    with pytest.raises(FmtError) as raised:
        format_text("base: &b {x: 1}\nc: *b\n", None)
    assert raised.value.args[0][0].rule == "fmt-unsafe"


# --- the command ---------------------------------------------------------------------------


def test_fmt_check_exit_codes_and_writing(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "minimal", root)
    original = (root / "channels.yaml").read_text()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, output = fmt_cli("--check")
        assert code == 1
        assert "would reformat playbook/channels.yaml\n" in output
        assert re.search(r"^\d+ files would be reformatted, \d+ already formatted\.$", output, re.MULTILINE)
        assert (root / "channels.yaml").read_text() == original, "--check writes nothing"
        code, output = fmt_cli()
        assert code == 0 and "reformatted playbook/channels.yaml\n" in output
        assert fmt_cli("--check") == (0, "Nothing to reformat, 8 already formatted.\n")
        assert fmt_cli("playbook/channels.yaml", "--check") == (
            0,
            "Nothing to reformat, 1 already formatted.\n",
        )
    finally:
        os.chdir(cwd)


def test_fmt_reports_a_broken_file_and_a_missing_path(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "minimal", root)
    (root / "channels.yaml").write_text("channels:\n  - {id: email, name: E-mail, support}: x\n")
    broken = (root / "channels.yaml").read_text()
    code, output = fmt_cli(str(root))
    assert code == 1
    assert f"{root}/channels.yaml:2:" in output and "Traceback" not in output
    assert (root / "channels.yaml").read_text() == broken
    code, output = fmt_cli(str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in output


def test_pre_commit_offers_a_fmt_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    fmt = next(hook for hook in hooks if hook["id"] == "playbookgen-fmt")
    assert fmt["entry"] == "playbookgen fmt --check"


def test_decomposed_accents_are_composed() -> None:
    """Text typed with decomposed accents (NFD) is written back composed (NFC), as it loads."""
    import unicodedata

    composed = (
        "policies:\n  - id: voucher-days\n    name: Hạn dùng phiếu mua hàng\n    value: 30\n    unit: days\n"
    )
    formatted = format_text(unicodedata.normalize("NFD", composed), "policies", "policies.yaml")
    assert unicodedata.is_normalized("NFC", formatted)
    assert "Hạn dùng phiếu mua hàng" in formatted
