"""The 'Can I fix it now?' aid of a category as a static SVG, for print and the PDFs.

The same :class:`~playbookgen.views.decision.DecisionView` the category page shows as
lists, drawn as a tree: one column per frontline team (store staff first), each question in
a box with its answers hanging off it, each answer ending in what to do and who does it; what
happens when the SLA target is missed runs across the bottom. Deterministic and standalone
(no fonts to fetch, no scripts); text from YAML is XML-escaped and wrapped as in
:mod:`playbookgen.render.svg`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from playbookgen import text
from playbookgen.render.svg import FONT, INK, MUTED, STROKE, WIDE_FONT, escape, wrap
from playbookgen.views.decision import Action, DecisionTree, DecisionView, Question
from playbookgen.wording import Wording

WIDTH = 680
"""Drawing width for two teams side by side: printed across the text column (about 170 mm on
A4), where 11.5 units are about 8 pt; one team's drawing is half as wide."""
MARGIN = 8
GAP = 20
"""Between the columns of two teams."""
SIZE = 11.5
LEADING = 1.3
QUESTION = ("#e3f2ef", "#00695c")
YES = ("#eef7ee", "#2e7d32")
ONWARD = ("#fff4e0", "#b35c00")
NOBODY = ("#ffffff", "#c62828")

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


def plain(value: object, values: Mapping[str, str] | None = None) -> str:
    """YAML text as one plain line: policy values filled in, links reduced to labels,
    emphasis marks dropped."""
    return " ".join(text.plain(str(value), values).replace("**", "").split())


def opening(value: object, limit: int = 400, values: Mapping[str, str] | None = None) -> str:
    """The first sentences of a step, as many as fit in about ``limit`` characters (always
    the first), with an ellipsis when there is more."""
    sentences = _SENTENCE.split(plain(value, values))
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    return " ".join(kept) + (" …" if len(kept) < len(sentences) else "")


@dataclass
class _Column:
    """One column of the drawing, laid out top to bottom."""

    x: float
    width: float
    y: float = MARGIN
    parts: list[str] = field(default_factory=list)

    def lines(
        self, x: float, lines: list[str], size: float, *, fill: str = INK, weight: str = "normal"
    ) -> None:
        step = size * LEADING
        for line in lines:
            self.y += step
            bold = ' font-weight="bold"' if weight == "bold" else ""
            self.parts.append(
                f'<text x="{x:g}" y="{self.y - step * 0.28:.1f}" font-size="{size:g}" fill="{fill}"{bold}>'
                f"{escape(line)}</text>"
            )

    def box(
        self, inset: float, title: str, body: list[str], colours: tuple[str, str], *, dashed: bool = False
    ) -> float:
        """A rounded box from ``inset`` to the column's right edge; returns its top."""
        left = self.x + inset
        inner = self.width - inset - 16
        title_lines = wrap(title, SIZE, inner, bold=True) if title else []
        body_lines = [line for paragraph in body for line in wrap(paragraph, SIZE - 0.5, inner)]
        height = 8 + (len(title_lines) * SIZE + len(body_lines) * (SIZE - 0.5)) * LEADING + 6
        fill, stroke = colours
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        top = self.y
        self.parts.append(
            f'<rect x="{left:g}" y="{top:.1f}" width="{self.width - inset:g}" height="{height:.1f}" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.3"{dash}/>'
        )
        self.y += 5
        self.lines(left + 8, title_lines, SIZE, weight="bold")
        self.lines(left + 8, body_lines, SIZE - 0.5, fill=MUTED if not title_lines else INK)
        self.y = top + height
        return top


def _action_body(action: Action, words: Wording, values: Mapping[str, str]) -> list[str]:
    body: list[str] = []
    if action.level and action.kind != "ask":
        body.append(action.level)
    if action.qualification is not None:
        body.append(
            words._("It needs a qualified %(qualification)s.", qualification=plain(action.qualification.name))
        )
    if action.when:
        body.append(f"{words._('When:')} {plain(action.when, values)}")
    for target in action.targets:
        body.append(f"{plain(target.label, values)} → {target.name}")
    if action.kind == "handover" and action.steps:
        body.append(words._("First, yourself:"))
    for number, step in zip(action.numbers, action.steps, strict=False):
        # The first sentence and the step's number: the whole step is in the table below.
        start = words._("Step %(number)s:", number=number)
        line = f"• {start} {opening(step.do, 150, values)}"
        if step.within:
            line += " · " + words._("within %(time)s", time=step.within)
        body.append(line)
    if action.caps:
        body.append(" · ".join(f"{plain(cap.name)} {cap.per_case}" for cap in action.caps))
    return body


def _question(column: _Column, question: Question, words: Wording, values: Mapping[str, str]) -> None:
    column.box(0, plain(question.text), [], QUESTION)
    stem = column.x + 12
    top = column.y
    ticks: list[float] = []
    for answer in question.answers:
        column.y += 6
        action = answer.action
        colours = NOBODY if action.dead_end else YES if action.kind in ("do", "give") else ONWARD
        label = plain(answer.label)
        column.lines(column.x + 26, [label], SIZE, fill=colours[1], weight="bold")
        ticks.append(column.y - SIZE * 0.45)
        column.box(
            26, plain(action.text), _action_body(action, words, values), colours, dashed=action.dead_end
        )
    if ticks:
        line = f'stroke="{STROKE}" stroke-width="1.5"'
        column.parts.append(f'<line x1="{stem:g}" y1="{top:.1f}" x2="{stem:g}" y2="{ticks[-1]:.1f}" {line}/>')
        for y in ticks:
            column.parts.append(
                f'<line x1="{stem:g}" y1="{y:.1f}" x2="{column.x + 22:g}" y2="{y:.1f}" {line}/>'
            )
    column.y += 6


def _tree(column: _Column, tree: DecisionTree, words: Wording, values: Mapping[str, str]) -> None:
    column.lines(
        column.x,
        wrap(f"{tree.title} · {tree.names}", SIZE + 1, column.width, bold=True),
        SIZE + 1,
        weight="bold",
    )
    column.y += 4
    for question in tree.questions:
        _question(column, question, words, values)


def decision_svg(decision: DecisionView, words: Wording, values: Mapping[str, str] | None = None) -> str:
    """The decision aid of one category as a standalone SVG; ``values`` are the policy values
    that ``{{ policy.ID }}`` in the playbook's text stands for."""
    values = values or {}
    trees = decision.trees[:2]
    width = (WIDTH - 2 * MARGIN - GAP) / 2
    # One team: one column, and a drawing half as wide (printed at its own size, not stretched).
    total = WIDTH if len(trees) > 1 else round(width + 2 * MARGIN)
    columns = [_Column(MARGIN + index * (width + GAP), width) for index in range(max(1, len(trees)))]
    for column, tree in zip(columns, trees, strict=False):
        _tree(column, tree, words, values)
    # A third team (rare) goes under the first two, across the drawing.
    bottom = _Column(MARGIN, total - 2 * MARGIN, max(c.y for c in columns))
    for tree in decision.trees[2:]:
        _tree(bottom, tree, words, values)
    if decision.breach is not None:
        body = [f"{plain(a.label)}: {plain(a.action.text)}" for a in decision.breach.answers]
        dead = any(a.action.dead_end for a in decision.breach.answers)
        bottom.box(0, plain(decision.breach.text), body, NOBODY if dead else ONWARD, dashed=dead)
    height = round(bottom.y + MARGIN)
    parts = [p for c in (*columns, bottom) for p in c.parts]
    title = words._("Can I fix it now? %(name)s", name=plain(decision.name))
    description = " ".join(
        f"{tree.title}: "
        + " ".join(
            f"{plain(q.text)} " + " ".join(f"{plain(a.label)}: {plain(a.action.text)}" for a in q.answers)
            for q in tree.questions
        )
        for tree in decision.trees
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{height}" '
        f'viewBox="0 0 {total} {height}" role="img" aria-labelledby="title desc" '
        f'font-family="{WIDE_FONT if words.needs_wide_font else FONT}">\n'
        f'<title id="title">{escape(title)}</title>\n'
        f'<desc id="desc">{escape(description)}</desc>\n' + "\n".join(parts) + "\n</svg>\n"
    )
