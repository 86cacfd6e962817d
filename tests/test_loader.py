"""The YAML loader: positions, YAML 1.1 traps, duplicate keys, tags and limits."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from playbookgen.loader import MAX_DEPTH, load_bytes, load_file


def load(text: str | bytes) -> tuple[object, list[str]]:
    raw = text.encode() if isinstance(text, str) else text
    doc, problems = load_bytes(raw, Path("x.yaml"), "x.yaml")
    return (doc.data if doc else None), [f"{p.line}:{p.column} {p.rule}" for p in problems]


def test_positions_of_values_and_keys() -> None:
    doc, problems = load_bytes(b"a: 1\nb:\n  - x\n  - {c: 2}\n", Path("x"), "x.yaml")
    assert doc is not None and problems == []
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.pos(("a",)) == (1, 4)
    assert doc.pos(("b", 1, "c")) == (4, 9)
    assert doc.key_pos(("b", 1, "c")) == (4, 6)
    assert doc.key_pos(("b",)) == (2, 1)
    assert doc.pos(("b", 1, "missing")) == (4, 5), "a missing value falls back to its parent"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("country: NO\n", "1:10"),
        ("open: yes\n", "1:7"),
        ("x: on\n", "1:4"),
        ("x: Off\n", "1:4"),
        ("time: 12:30\n", "1:7"),
        ("n: 010\n", "1:4"),
        ("n: 0b101\n", "1:4"),
        ("n: 1_000\n", "1:4"),
        ("n: 1e3\n", "1:4"),
        ("n: .inf\n", "1:4"),
        ("n: .NaN\n", "1:4"),
    ],
)
def test_yaml_11_traps_are_refused(text: str, where: str) -> None:
    data, problems = load(text)
    assert data is None
    assert problems == [f"{where} yaml-ambiguous-value"]


def test_plain_values_load_as_expected() -> None:
    data, problems = load(
        "a: 'no'\nb: true\nc: False\nd: 1.5\ne: ~\nf: 0x1F\ng: 42\nh: 2026-11-01\ni: '12:30'\nj: -3\n"
    )
    assert problems == []
    assert data == {
        "a": "no", "b": True, "c": False, "d": 1.5, "e": None, "f": 31, "g": 42,
        "h": "2026-11-01", "i": "12:30", "j": -3,
    }  # fmt: skip


def test_every_trap_in_a_file_is_reported_at_once() -> None:
    _, problems = load("a: yes\nb: 010\na: 3\n")
    assert problems == ["1:4 yaml-ambiguous-value", "2:4 yaml-ambiguous-value", "3:1 yaml-duplicate-key"]


def test_duplicate_keys_name_the_first_line() -> None:
    doc, problems = load_bytes(b"roles:\n  x: 1\n  y: 2\n  x: 3\n", Path("x"), "x.yaml")
    assert doc is None
    assert [(p.line, p.column, p.rule) for p in problems] == [(4, 3, "yaml-duplicate-key")]
    assert "first on line 2" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo pwned']\n",
        "x: !!python/name:os.system\n",
        "x: !custom thing\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
    ],
)
def test_tags_are_refused_never_constructed(text: str) -> None:
    data, problems = load(text)
    assert data is None
    assert problems == ["1:4 yaml-tag"]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    data, problems = load("\n".join(lines) + "\n")
    assert data is None
    assert len(problems) == 1 and problems[0].endswith("yaml-too-large")


def test_recursive_alias_is_refused() -> None:
    assert load("a: &a [1, *a]\n")[1] == ["1:11 yaml-recursive-alias"]


def test_aliases_and_merge_keys_work() -> None:
    data, problems = load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: *b\n")
    assert problems == []
    assert data == {"base": {"x": 1, "y": 2}, "c": {"y": 3, "x": 1}, "d": {"x": 1, "y": 2}}


def test_very_deep_nesting_does_not_crash() -> None:
    data, problems = load("[" * 100_000 + "]" * 100_000)
    assert data is None
    # Our limit, or (PyYAML 6.0.4 and later) libyaml's, whose scanner reads ahead of us.
    assert problems in ([f"1:{MAX_DEPTH + 1} yaml-too-deep"], ["1:1001 yaml-too-deep"])
    data, problems = load("".join("  " * depth + "a:\n" for depth in range(100)))
    assert data is None
    assert problems == [f"{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1} yaml-too-deep"]


def test_multiple_documents_are_refused() -> None:
    assert load("a: 1\n---\nb: 2\n")[1] == ["2:1 yaml-multiple-documents"]


def test_empty_and_comment_only_files_load_as_nothing() -> None:
    assert load("") == (None, [])
    assert load("# just a comment\n") == (None, [])


def test_bom_is_accepted_and_utf16_refused() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n") == ({"a": 1}, [])
    assert load("a: 1\n".encode("utf-16"))[1] == ["1:1 file-encoding"]


def test_non_utf8_points_at_the_byte() -> None:
    assert load(b"a: ok\nb: caf\xe9\n")[1] == ["2:7 file-encoding"]


def test_tabs_get_a_plain_message() -> None:
    _doc, problems = load_bytes(b"a:\n\tb: 1\n", Path("x"), "x.yaml")
    assert [(p.line, p.column, p.rule) for p in problems] == [(2, 1, "yaml-syntax")]
    assert "tab" in problems[0].message


def test_unclosed_quote_points_at_its_start() -> None:
    assert load('a: 1\nb: "open\nc: 2\n')[1] == ["2:4 yaml-syntax"]


def test_complex_keys_are_refused() -> None:
    assert load("? [a, b]\n: 1\n")[1] == ["1:3 yaml-complex-key"]


def test_suppression_comments_are_collected() -> None:
    doc, _ = load_bytes(b"a: 1  # playbookgen: ignore[some-rule] agreed with legal\n", Path("x"), "x.yaml")
    assert doc is not None
    assert doc.suppressions == {1: [("some-rule", "agreed with legal")]}


def test_file_problems(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert [p.rule for p in load_file(folder, "dir.yaml")[1]] == ["file-unreadable"]
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (5 * 1024 * 1024) + b"\n")
    assert [p.rule for p in load_file(big, "big.yaml")[1]] == ["file-too-large"]


@pytest.mark.parametrize(
    ("raw", "where", "character"),
    [
        (b"a: 1\nb: x\x00y\n", "2:5", "U+0000"),
        ("a: \u00e9\nb: \u00e9\U0001f600\x1by\n".encode(), "2:6", "U+001B"),  # characters, not bytes
        (b"\xef\xbb\xbfa: 1\nb: \x0c\n", "2:4", "U+000C"),  # after a byte order mark
        (b"a: |\n  text\n  more\x0b text\n", "3:7", "U+000B"),  # a line break pasted from Word
        (b"a: x\x7f\n", "1:5", "U+007F"),
        ("a: x\x80\n".encode(), "1:5", "U+0080"),
        ("a: x\ufffe\n".encode(), "1:5", "U+FFFE"),
    ],
)
def test_a_control_character_is_reported_where_it_is(raw: bytes, where: str, character: str) -> None:
    doc, problems = load_bytes(raw, Path("x"), "x.yaml")
    assert doc is None
    assert [f"{p.line}:{p.column} {p.rule}" for p in problems] == [f"{where} file-encoding"]
    assert character in problems[0].message and "delete it" in problems[0].message
    assert "\n" not in problems[0].message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(encoding: str) -> None:
    _doc, problems = load_bytes("a: 1\nb: two\n".encode(encoding), Path("x"), "x.yaml")
    assert [(p.line, p.column, p.rule) for p in problems] == [(1, 1, "file-encoding")]
    assert "UTF-16" in problems[0].message


@pytest.mark.parametrize(
    ("text", "where", "escape"),
    [
        ('a: 1\nname: "ab \\ud800"\n', "2:7", "\\ud800"),  # a lone surrogate
        ('a: 1\nname: "ab \\U00110000"\n', "2:7", "\\U00110000"),  # beyond Unicode
        ('name: "one\n  two \\udfff"\n', "1:7", "\\udfff"),  # on the string's second line
        ('name: "C:\\new\\qa"\n', "1:7", "\\q"),  # a Windows path
        ('name: "x \\uZZ"\n', "1:7", "\\uZZ"),
    ],
)
def test_a_bad_escape_in_double_quotes_is_named(text: str, where: str, escape: str) -> None:
    _doc, problems = load_bytes(text.encode(), Path("x"), "x.yaml")
    assert [f"{p.line}:{p.column} {p.rule}" for p in problems] == [f"{where} yaml-syntax"]
    assert f"'{escape}'" in problems[0].message and "never closed" not in problems[0].message


def test_decomposed_text_is_composed_at_load() -> None:
    """A Vietnamese keyboard that types accents as separate code points (NFD) gives the same
    text as one that composes them: 'hết hạn' is stored once, whichever way it was typed."""
    import unicodedata

    composed = "Đổi trả hết hạn sau 30 ngày"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    doc, problems = load_bytes(f"title: {decomposed}\nnote: x\n".encode(), Path("x"), "x.yaml")
    assert doc is not None and problems == []
    assert doc.data["title"] == composed
    assert doc.pos(("note",)) == (2, 7)
    assert unicodedata.is_normalized("NFC", zlib.decompress(doc.source).decode())
    key, _ = load(unicodedata.normalize("NFD", "mô tả: có\n"))
    assert key == {"mô tả": "có"}


def test_an_id_with_accents_is_refused(tmp_path: Path) -> None:
    """Ids stay ASCII: an id typed with Vietnamese letters (composed or not) is not an id."""
    import unicodedata

    from playbookgen.model import load_playbook

    from .conftest import EXAMPLES

    root = tmp_path / "pb"
    shutil.copytree(EXAMPLES / "minimal", root)
    category = next((root / "categories").glob("*.yaml"))
    text = category.read_text(encoding="utf-8")
    old = text.split("id:", 1)[1].split("\n", 1)[0].strip()
    category.write_text(text.replace(f"id: {old}", "id: " + unicodedata.normalize("NFD", "hàng-lỗi"), 1))
    _playbook, problems = load_playbook(root)
    assert any(
        p.severity == "error" and p.path.endswith(category.name) and p.rule.startswith("schema")
        for p in problems
    ), problems
