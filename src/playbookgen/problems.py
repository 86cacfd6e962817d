"""The one problem type every stage reports, and the error every stage may raise."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong at a place in a playbook file, written for a CS leader."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    suppressed: str | None = field(default=None, compare=False)
    """The reason given in an inline ``# playbookgen: ignore[rule]`` comment, if any."""

    def __post_init__(self) -> None:
        if self.rule not in registered_ids():
            raise UnregisteredRule(self.rule)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity} {self.rule} {self.message}"

    def with_severity(self, severity: Severity) -> Problem:
        return replace(self, severity=severity)


class UnregisteredRule(ValueError):
    """A problem was made with an id that ``playbookgen rules`` does not list (a bug)."""

    def __init__(self, rule: str) -> None:
        super().__init__(
            f"problem id '{rule}' is not registered: add a rule module to playbookgen.rules "
            "or a built-in check to playbookgen/rules/stages.py"
        )
        self.rule = rule


@functools.cache
def registered_ids() -> frozenset[str]:
    """Every id a problem may carry: the consistency rules and the built-in checks."""
    # Imported here: the rules import the loader, which imports this module.
    from playbookgen.rules import RULES, STAGES

    return frozenset(RULES) | frozenset(STAGES)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" and p.suppressed is None for p in problems)


class PlaybookError(Exception):
    """Raised when a stage cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
