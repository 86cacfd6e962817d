"""Every quiz question has exactly the answers its type needs.

The trainer edition prints the answer key, so it must be complete and unambiguous:

- `single`: at least two options, exactly one with `correct: true`;
- `multiple`: at least two options with `correct: true`;
- `true-false`: `answer: true` or `answer: false`, and no options;
- `short`: a model `answer` as text, and no options.

Questions with options carry their key on the options, so they have no `answer`. The pass
mark (0–100) is checked by the schema.

**Passes** — `training/basics.yaml`:

```yaml
questions:
  - id: q1
    type: single
    prompt: Who approves a EUR 40 voucher?
    options:
      - {text: The agent}
      - {text: The team lead, correct: true}
  - {id: q2, type: true-false, prompt: A refund is goodwill., answer: false}
```

**Fails** — two correct options on a single-choice question; a true-false with options:

```yaml
questions:
  - id: q1
    type: single
    prompt: Who approves a EUR 40 voucher?
    options:
      - {text: The agent, correct: true}
      - {text: The team lead, correct: true}
  - id: q2
    type: true-false
    prompt: A refund is goodwill.
    options: [{text: "True"}, {text: "False", correct: true}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playbookgen.model import Item, Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, at
from playbookgen.text import a_or_an

ID = "quiz-answers"
SEVERITY: Severity = "error"
SUMMARY = "Every quiz question has exactly the answers its type needs."
SCOPE = "file"  # its findings in a file depend on that file and the single files only


def check(playbook: Playbook) -> Iterator[Finding]:
    for module in playbook.all("training"):
        for index, question in enumerate(module.data.get("quiz", {}).get("questions", [])):
            yield from _question(module, ("quiz", "questions", index), question)


def _question(module: Item, where: tuple[str | int, ...], question: dict[str, Any]) -> Iterator[Finding]:
    kind = str(question["type"])
    qid = str(question["id"])
    options = question.get("options", [])
    correct = sum(1 for option in options if option.get("correct"))
    if kind in ("single", "multiple"):
        if len(options) < 2:
            yield at(
                module,
                (*where, "options") if "options" in question else (*where, "type"),
                f"the {kind}-choice question '{qid}' needs at least two options; add them under options",
                key="options" in question,
            )
        elif kind == "single" and correct != 1:
            yield at(
                module,
                (*where, "options"),
                f"the single-choice question '{qid}' has {correct} correct options; mark exactly one "
                "with correct: true",
                key=True,
            )
        elif kind == "multiple" and correct < 2:
            yield at(
                module,
                (*where, "options"),
                f"the multiple-choice question '{qid}' has {correct} correct option"
                f"{'s' * (correct != 1)}; mark at least two with correct: true (or make it single)",
                key=True,
            )
        if "answer" in question:
            yield at(
                module,
                (*where, "answer"),
                f"'{qid}' is answered by its options; remove answer and mark the right options with "
                "correct: true",
                key=True,
            )
        return
    if options:
        yield at(
            module,
            (*where, "options"),
            f"{a_or_an(kind)} question has no options; remove them and give the answer under answer",
            key=True,
        )
    answer = question.get("answer")
    if kind == "true-false" and not isinstance(answer, bool):
        yield at(
            module,
            (*where, "answer") if "answer" in question else (*where, "type"),
            f"the true-false question '{qid}' needs answer: true or answer: false",
        )
    if kind == "short" and not (isinstance(answer, str) and answer.strip()):
        yield at(
            module,
            (*where, "answer") if "answer" in question else (*where, "type"),
            f"the short-answer question '{qid}' needs a model answer as text under answer",
        )
