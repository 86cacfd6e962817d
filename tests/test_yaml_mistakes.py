"""The classic YAML mistakes: each named at its place with its fix, with no follow-on errors,
and no false alarm on text that only looks like one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbookgen.loader import load_bytes

from .conftest import EXAMPLES, REPO


def problems(text: str) -> list[str]:
    _doc, found = load_bytes(text.encode("utf-8"), Path("x.yaml"), "x.yaml")
    return [f"{p.line}:{p.column} {p.severity} {p.rule}" for p in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a comma inside text in a {…} mapping: one problem at the comma, not an unknown key
        ("h:\n  - {name: Boxing day (first, second day), date: x}\n", "2:29 error yaml-comma-in-text"),
        ("o:\n  - {id: a, text: “Listen, then act”}\n", "2:26 error yaml-comma-in-text"),
        # ': ' inside plain text, in block and flow style
        ("name: x\nsummary: Note: do this\n", "2:14 error yaml-colon-in-text"),
        ("items:\n  - {id: a, text: Note: do this}\n", "2:23 error yaml-colon-in-text"),
        ("summary: “Note: do this”\n", "1:15 error yaml-colon-in-text"),
        # text that starts with a quote and goes on after it
        ('name: x\nsummary: "Late" deliveries\n', "2:10 error yaml-text-after-quote"),
        ("items:\n  - 'Late' deliveries\n", "2:5 error yaml-text-after-quote"),
        ('items:\n  - {id: a, text: "Late" ones}\n', "2:19 error yaml-text-after-quote"),
        # ' #' cuts a text short
        ("summary: Call us #1 priority\n", "1:18 warning yaml-comment-in-text"),
        # list items out of line
        ("steps:\n  - do: a\n   - do: b\n", "3:4 error yaml-list-indent"),
        ("steps:\n  - do: a\n    owner: x\n - do: b\n", "4:2 error yaml-list-indent"),
        ("steps:\n  - a\n   - b\n", "3:4 error yaml-list-indent"),
        # a missing space after '-' or ':'
        ("id: x\nowner:agent\nname: y\n", "2:7 error yaml-missing-space"),
        ("id: x\nowner:agent\n", "2:7 error yaml-missing-space"),
        ("steps:\n  -do: a\n", "2:3 error yaml-missing-space"),
        ("keywords:\n  -late\n", "2:3 error yaml-missing-space"),
        # typographic quotes
        ("summary: “Late delivery”\n", "1:10 warning yaml-smart-quotes"),
        # a tab, as before
        ("a:\n\tb: 1\n", "2:1 error yaml-syntax"),
    ],
)
def test_each_mistake_is_named_once_at_its_place(text: str, expected: str) -> None:
    assert problems(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "website: https://www.example.com/help\n",
        "contacts:\n  - mailto:service@example.com\n  - tel:+31205550140\n",
        "name: Late  # a comment\n",
        "name: Late # a comment\n",
        "summary: 'Call us #1 priority'\n",
        "summary: Issue#1 stays\n",
        'summary: "Note: do this"\n',
        "summary: Note:do this\n",
        'examples:\n  - "“Where is my order?” she asked."\n',
        "examples:\n  - -5% was not applied\n",
        "h:\n  - {name: Boxing day, date: x}\n",
        "time: '12:30'\n",
        "text: >-\n  A folded text\n  - with a dash line that is text\n",
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert problems(text) == []


def test_a_warning_keeps_the_file_loaded() -> None:
    doc, found = load_bytes(b"summary: Call us #1\n", Path("x.yaml"), "x.yaml")
    assert doc is not None and doc.data == {"summary": "Call us"}
    assert [p.rule for p in found] == ["yaml-comment-in-text"]


def test_messages_say_what_to_write() -> None:
    _doc, found = load_bytes(b"id: x\nowner:agent\n", Path("x.yaml"), "x.yaml")
    assert "write 'owner: agent'" in found[0].message
    _doc, found = load_bytes(b"summary: Note: do this\n", Path("x.yaml"), "x.yaml")
    assert found[0].message.endswith('put the whole text in quotes: "Note: do this"')
    _doc, found = load_bytes("summary: “Note: do this”\n".encode(), Path("x.yaml"), "x.yaml")
    assert "not typographic ones" in found[0].message


def test_readme_shows_what_check_really_says() -> None:
    """The README's table of common mistakes quotes the negative examples' exact output."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The YAML mistakes people make most", 1)[1].split("###", 1)[0]
    quoted = re.findall(r"^\| `(.+)` \| `(.+)` \|$", section, re.MULTILINE)
    assert len(quoted) >= 3
    expected = {
        line
        for path in (EXAMPLES / "negative").glob("*/expected.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    for wrote, says in quoted:
        assert says in expected, says
        case = next(p.parent for p in (EXAMPLES / "negative").glob("*/expected.txt") if says in p.read_text())
        assert any(wrote in f.read_text() for f in case.rglob("*.yaml")), wrote
