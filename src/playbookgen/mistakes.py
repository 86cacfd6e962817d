"""The YAML mistakes people who are not programmers make most, each named with its fix.

A comma or ``: `` inside unquoted text, text that starts with a quote and goes on after it,
`` #`` in the middle of text, list items out of line, a missing space after ``-`` or ``:``,
and typographic quotes pasted from a word processor. They are recognised from the parser's
error (where it stopped) or its events, together with the source line, never guessed from
the schema error that would follow.
"""

from __future__ import annotations

import re
from typing import Any

from playbookgen.problems import Severity

Mistake = tuple[int, int, str, Severity, str]
"""line, column, rule id, severity, message."""

SMART_OPEN = "“‘„‚«"
SMART_CLOSE = "”’“‘»"
_QUOTE_TIP = "the quotes must be straight (\" or '), not typographic ones from a word processor"
_KEY_NO_SPACE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(\S.*)$")
_DASH_NO_SPACE = re.compile(r"^-([^\s-].*)$")
_URI_SCHEMES = frozenset({"mailto", "tel", "sms", "urn", "data", "http", "https", "ftp", "file"})
_QUOTED_START = re.compile(r"""(?:^|:\s|-\s|[{\[,]\s*)(["'])""")


def looks_mistaken(text: str) -> bool:
    """Whether ``text``, written plain, could be taken for a classic mistake (``key:value``,
    ``-item``, text in typographic quotes): writers quote such text."""
    key = _KEY_NO_SPACE.match(text)
    return bool(
        (key is not None and not key.group(2).startswith("//"))
        or _DASH_NO_SPACE.match(text)
        or (len(text) > 1 and text[0] in SMART_OPEN and text[-1] in SMART_CLOSE)
    )


def _excerpt(text: str, limit: int = 40) -> str:
    """The start of ``text``, cut at a word when it is long."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + "…"


def _quoted(text: str) -> str:
    """``text`` as a YAML quoted value: double quotes, or single ones when it holds a double."""
    text = text.strip()
    if '"' in text:
        return "'" + text.replace("'", "''") + "'"
    return f'"{text}"'


def _unsmart(text: str) -> str:
    """``text`` without the typographic quotes around it, if it has them."""
    text = text.strip()
    if len(text) > 1 and text[0] in SMART_OPEN and text[-1] in SMART_CLOSE:
        return text[1:-1]
    return text


def _value_start(line: str, inside: int, flow: bool) -> int:
    """Where the value around column ``inside`` starts: after its key's ': ', or after the
    list dash; in a {…} mapping, within the entry that holds ``inside``."""
    segment = 0
    if flow:
        segment = max(line.rfind(mark, 0, inside) for mark in "{[,") + 1
    key = line.find(": ", segment, inside)
    if key != -1:
        return key + 2
    stripped = line[segment:inside].lstrip()
    if stripped.startswith("- "):
        return inside - len(stripped) + 2
    return segment + len(line[segment:inside]) - len(line[segment:inside].lstrip())


def _value_end(line: str, inside: int, flow: bool) -> int:
    if flow:
        stops = [i for i in (line.find(mark, inside) for mark in ",}]") if i != -1]
        return min(stops, default=len(line))
    comment = line.find(" #", inside)
    return comment if comment != -1 else len(line)


def classic_mistake(exc: Any, text: str) -> Mistake | None:
    """A plain-words diagnosis of a YAML syntax error, if it is one of the classic ones."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    problem = exc.problem or ""
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        found = _missing_space(lines, exc.context_mark.line)
        if found is not None:
            return found
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    here = line[mark.column : mark.column + 1]
    before = line[: mark.column].rstrip()
    if before and before[-1] in "\"'" and (opening := _opening_quote(line, mark.column)) is not None:
        quote = line[opening]
        flow = "flow" in (exc.context or "")
        end = _value_end(line, mark.column, flow)
        value = line[opening:end].strip()
        other = "'" if quote == '"' else '"'
        fix = value.replace(other, other * 2) if other == "'" else value.replace('"', '\\"')
        return (
            mark.line + 1,
            opening + 1,
            "yaml-text-after-quote",
            "error",
            f"this text starts with a quote ({quote}), so YAML ends it at the closing quote and "
            f"cannot read what follows ('{_excerpt(line[mark.column : end])}'); "
            f"put the whole text in the other kind of quotes: {_excerpt(other + fix + other, 60)}",
        )
    if here == ":" and ("mapping values are not allowed" in problem or "expected ','" in problem):
        flow = "flow" in (exc.context or "") or "expected ','" in problem
        start = _value_start(line, mark.column, flow)
        value = line[start : _value_end(line, mark.column, flow)]
        return (
            mark.line + 1,
            mark.column + 1,
            "yaml-colon-in-text",
            "error",
            "this text contains ': ' (a colon and a space), which YAML reads as the start of a "
            f"new key; put the whole text in quotes: {_excerpt(_quoted(_unsmart(value)), 60)}"
            + (f" ({_QUOTE_TIP})" if value[:1] in SMART_OPEN else ""),
        )
    stripped = line.lstrip()
    dash = len(line) - len(stripped)
    if (
        stripped.startswith("- ")
        and exc.context_mark is not None
        and ("indicator" in problem or "key" in problem)
    ):
        siblings = _sibling_dash(lines, mark.line, exc.context_mark)
        if siblings is not None and siblings != dash:
            return (
                mark.line + 1,
                dash + 1,
                "yaml-list-indent",
                "error",
                f"this list item starts in column {dash + 1} but the items above it in column "
                f"{siblings + 1}; line up the dashes (use the same number of spaces)",
            )
    return None


def _opening_quote(line: str, end: int) -> int | None:
    """Where a quoted text that closes just before ``end`` opened, if one does."""
    for match in _QUOTED_START.finditer(line[:end]):
        start = match.start(1)
        closing = line.find(line[start], start + 1)
        if closing != -1 and line[closing + 1 : end].strip() == "":
            return start
    return None


def _sibling_dash(lines: list[str], line: int, context: Any) -> int | None:
    """The column of the dashes of the list the parser was reading, found above ``line``."""
    if context.line < len(lines) and lines[context.line][context.column : context.column + 1] == "-":
        return int(context.column)
    for number in range(line - 1, -1, -1):
        stripped = lines[number].lstrip()
        if stripped.startswith("- "):
            return len(lines[number]) - len(stripped)
    return None


def _missing_space(lines: list[str], number: int) -> Mistake | None:
    stripped = lines[number].lstrip()
    column = len(lines[number]) - len(stripped)
    found = _KEY_NO_SPACE.match(stripped)
    if found is None or found.group(2).startswith("//") or found.group(1).lower() in _URI_SCHEMES:
        return None
    return (
        number + 1,
        column + len(found.group(1)) + 2,
        "yaml-missing-space",
        "error",
        f"a key needs a space after its colon; write '{found.group(1)}: {found.group(2).strip()}'",
    )


def scalar_mistakes(event: Any, lines: list[str], flow: bool) -> list[Mistake]:
    """Problems a plain text value shows on its own line (it loaded, but not as meant)."""
    found: list[Mistake] = []
    value: str = event.value
    start, end = event.start_mark, event.end_mark
    line = lines[start.line] if start.line < len(lines) else ""
    if value[:1] == "-" and _DASH_NO_SPACE.match(value) and not line[: start.column].strip():
        found.append(
            (
                start.line + 1,
                start.column + 1,
                "yaml-missing-space",
                "error",
                f"a list item needs a space after its dash; write '- {line[start.column + 1 :].strip()}'",
            )
        )
    elif not flow and line[: start.column].strip() in ("", "-") and _KEY_NO_SPACE.match(value):
        key, rest = value.split(":", 1)
        if not rest.startswith("//") and key.lower() not in _URI_SCHEMES:
            found.append(
                (
                    start.line + 1,
                    start.column + len(key) + 2,
                    "yaml-missing-space",
                    "error",
                    f"a key needs a space after its colon; write '{key}: {rest.strip()}'",
                )
            )
    if start.line != end.line:
        for number in range(start.line + 1, min(end.line + 1, len(lines))):
            stripped = lines[number].lstrip()
            if stripped.startswith("- "):
                found.append(
                    (
                        number + 1,
                        len(lines[number]) - len(stripped) + 1,
                        "yaml-list-indent",
                        "error",
                        "this list item is indented further than the items above it, so it became "
                        "part of the text before it; line up the dashes",
                    )
                )
                break
    if not flow and end.line < len(lines):
        after = lines[end.line][end.column :]
        if re.match(r"^ #[^\s#]", after) and "playbookgen:" not in after:
            text = lines[end.line]
            whole = text[_value_start(text, end.column, False) :].strip()
            found.append(
                (
                    end.line + 1,
                    end.column + 2,
                    "yaml-comment-in-text",
                    "warning",
                    f"' #' starts a comment, so the text stops before it and '{_excerpt(after)}' "
                    f"is left out; if that belongs to the text, put it all in quotes: "
                    f"{_excerpt(_quoted(whole), 60)}",
                )
            )
    if value[:1] in SMART_OPEN and value[-1:] in SMART_CLOSE and len(value) > 1:
        found.append(
            (
                start.line + 1,
                start.column + 1,
                "yaml-smart-quotes",
                "warning",
                f"this text is wrapped in typographic quotes ({value[0]}…{value[-1]}), which YAML "
                f"keeps as part of the text; {_QUOTE_TIP} — or leave them out",
            )
        )
    return found


def comma_mistake(key: Any, key_mark: Any, value_mark: Any, lines: list[str]) -> Mistake | None:
    """A key with no colon in a ``{…}`` mapping: text split off by a comma before it."""
    if not isinstance(key, str) or key_mark is None or key_mark.line >= len(lines):
        return None
    line = lines[key_mark.line]
    end = key_mark.column + len(key)
    if line[key_mark.column : end] != key or line[end:].lstrip().startswith(":"):
        return None  # a quoted or multi-line key, or one with its colon: not split off
    comma = line.rfind(",", 0, key_mark.column)
    if comma == -1:
        return None
    value = line[_value_start(line, comma, True) : end]
    if any(c in value for c in SMART_OPEN):
        fix = "straight quotes (\" or '); the “ ” pasted from a word processor are not quotes to YAML"
    else:
        fix = f"quotes: {_excerpt(_quoted(value), 60)}"
    return (
        key_mark.line + 1,
        comma + 1,
        "yaml-comma-in-text",
        "error",
        f"this comma ends the text before it, so '{_excerpt(key)}' became a key of its own; "
        f"inside {{…}} a comma separates entries — put the whole text in {fix}; or write "
        "one key per line (playbookgen fmt does it)",
    )
