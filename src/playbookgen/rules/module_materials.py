"""Every printout a training module needs is one the build prints.

A module's `printouts` name what to print for the session — a form, a cheat sheet, a QA
scorecard, the goodwill authority matrix (an A3 landscape poster), the whole playbook, or one
of the module's own `handouts` (case cards, a one-pager) — and the build prints each of them
next to the module's editions. The check fails when a printout names nothing the build
prints (an unknown id, a handout the module does not have, the authority matrix without
`authority.yaml`), when a handout has neither content nor cards, when a plain `materials`
line promises something printed ("Printed size guide", "case cards", "A3") that no printout
gives, and when the module's text sends learners to cards, a handout, the trainer pack or
an A3 sheet it does not print.

**Passes** — `training/returns.yaml`:

```yaml
printouts:
  - {print: authority-matrix, note: A3 for the wall}
  - {print: handout, id: case-cards, note: one set per table}
handouts:
  - id: case-cards
    title: Return case cards
    cards:
      - {title: "Card 1: jacket bought online", text: Returned unworn in store after 20 days.}
```

**Fails** — the cards and the A3 matrix are promised, and nothing prints them:

```yaml
materials:
  - Case cards, one set per table
  - Authority matrix printed A3 for the wall
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from playbookgen.kinds import home_of
from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at

ID = "module-materials"
SEVERITY: Severity = "error"
SUMMARY = "Every printout a training module needs is one the build prints."

BY_ID = {"form": "form", "cheat-sheet": "cheat-sheet", "scorecard": "qa"}
"""Printouts named by id, and the kind of item the id names."""

_MONEY_CARDS = ("gift", "credit", "debit", "loyalty", "bank", "payment", "sim")
_MONEY = "(?:" + "|".join(_MONEY_CARDS) + ")"
_NOT_PRINTED = "".join(f"(?<!{word} )" for word in _MONEY_CARDS)
PROMISED = re.compile(
    r"\b(?:printed|print-?outs?|prints?|handouts?|one-pager|posters?|A3|trainer pack)\b|"
    + _NOT_PRINTED
    + r"\bcards?\b",
    re.IGNORECASE,
)
"""Words of a plain materials line that promise something on paper (gift and bank cards aside)."""
SENT_TO = re.compile(
    r"\b(?:handouts?|trainer pack|card deck|A3)\b|"
    + (r"\b(?!" + _MONEY + r" )(?:[a-z-]+ )?" + _NOT_PRINTED + r"\bcards\b"),
    re.IGNORECASE,
)
"""Words of a module's text that send learners to paper: 'on the case cards', 'the A3 matrix'."""


READS = {"training": ("printouts",)}
"""What :func:`check_across` reads of the files of a folder (see :mod:`playbookgen.projection`)."""
_SENT_TO_WORDS = re.compile(r"handout|trainer pack|card|A3", re.IGNORECASE)
"""What every match of :data:`SENT_TO` contains: texts without it need no slower search."""


def check(playbook: Playbook) -> Iterator[Finding]:
    yield from check_file(playbook)
    yield from check_across(playbook)


def check_across(playbook: Playbook) -> Iterator[Finding]:
    """Printouts naming a form or a QA scorecard (files of their own) that does not exist."""
    for module in playbook.all("training"):
        for index, entry in enumerate(_printouts(module.data)):
            if str(entry.get("print")) in _ACROSS and entry.get("id"):
                yield from _printout(playbook, module, index, entry, set())


def check_file(playbook: Playbook) -> Iterator[Finding]:
    """Everything else: what a module's findings depend on is the module itself, the cheat
    sheets of playbook.yaml and authority.yaml (see :func:`playbookgen.rules.file_part`)."""
    for module in playbook.all("training"):
        data = module.data
        handouts = {str(h.get("id")) for h in data.get("handouts") or []}
        printouts = _printouts(data)
        kinds = {str(p.get("print")) for p in printouts} | ({"handout"} if handouts else set())
        for index, entry in enumerate(printouts):
            if not (str(entry.get("print")) in _ACROSS and entry.get("id")):
                yield from _printout(playbook, module, index, entry, handouts)
        seen: set[str] = set()
        for index, handout in enumerate(data.get("handouts") or []):
            ident = str(handout.get("id"))
            if ident in seen:
                yield at(
                    module,
                    ("handouts", index, "id"),
                    f"the handout id '{ident}' is used twice in this module; give each handout its own id",
                )
            seen.add(ident)
            if not handout.get("content") and not handout.get("cards"):
                yield at(
                    module,
                    ("handouts", index),
                    f"the handout '{ident}' has nothing to print; give it content: or cards:",
                    key=True,
                )
        for index, line in enumerate(data.get("materials") or []):
            if isinstance(line, str) and (word := PROMISED.search(line)):
                yield at(
                    module,
                    ("materials", index),
                    f"'{line}' is to be on paper ('{word.group(0)}'), but materials are what the build does "
                    "not print; list it under printouts: (a form, cheat-sheet, scorecard, authority-matrix, "
                    "playbook, or a handout of this module written under handouts:), or say where it comes "
                    "from without calling it printed",
                )
        for path, text in _texts(data):
            if not _SENT_TO_WORDS.search(text):
                continue
            for phrase in dict.fromkeys(m.group(0) for m in SENT_TO.finditer(text)):
                needed = "authority-matrix" if phrase.upper() == "A3" else "handout"
                if needed in kinds:
                    continue
                what = (
                    "the authority matrix poster ({print: authority-matrix} under printouts:)"
                    if needed == "authority-matrix"
                    else "a handout (under handouts:, with content: or cards:)"
                )
                yield at(
                    module,
                    path,
                    f"this text sends learners to '{phrase}', but the module prints nothing of the kind; "
                    f"add {what}, or reword it",
                )


def _printout(
    playbook: Playbook, module: Item, index: int, entry: dict[str, Any], handouts: set[str]
) -> Iterator[Finding]:
    kind = str(entry.get("print"))
    ident = entry.get("id")
    if kind in BY_ID or kind == "handout":
        if not ident:
            yield at(
                module,
                ("printouts", index),
                f"a {kind} printout needs the id of the {kind} to print; add id:",
                key=True,
            )
            return
        if kind == "handout":
            if str(ident) not in handouts:
                known = ", ".join(sorted(handouts)) or "none yet"
                yield at(
                    module,
                    ("printouts", index, "id"),
                    f"this module has no handout '{ident}' (its handouts: {known}); write it under "
                    "handouts: with an id, a title and content: or cards:",
                )
        elif playbook.get(BY_ID[kind], str(ident)) is None:
            known = ", ".join(sorted(i.id for i in playbook.all(BY_ID[kind])))
            hint = (
                f"use one of: {known}"
                if known
                else f"the playbook has no {kind} yet; add it or remove this printout"
            )
            yield at(
                module,
                ("printouts", index, "id"),
                f"there is no {kind} '{ident}' to print; {hint}",
            )
    elif ident:
        yield at(
            module,
            ("printouts", index, "id"),
            f"a {kind} printout has no id; remove id: '{ident}'",
        )
    if kind == "authority-matrix" and not _has_authority(playbook):
        yield at(
            module,
            ("printouts", index, "print"),
            "the authority matrix is printed from authority.yaml, which has no goodwill limits; add "
            "authority.yaml or remove this printout",
        )


_ACROSS = {kind for kind, item_kind in BY_ID.items() if (home_of(item_kind) or (None, 0))[1] is None}
"""Printouts that name an item with a file of its own (a form, a scorecard)."""


def _printouts(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in data.get("printouts") or [] if isinstance(p, dict)]


def _has_authority(playbook: Playbook) -> bool:
    doc = playbook.file("authority")
    return doc is not None and isinstance(doc.data, dict) and bool(doc.data.get("limits"))


def _texts(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The module's texts a learner or trainer reads, with their place."""
    for s_index, section in enumerate(data.get("sections") or []):
        for key in ("content", "trainer_notes"):
            if isinstance(section.get(key), str):
                yield ("sections", s_index, key), section[key]
        for e_index, exercise in enumerate(section.get("exercises") or []):
            if isinstance(exercise.get("instructions"), str):
                yield ("sections", s_index, "exercises", e_index, "instructions"), exercise["instructions"]
