"""The one problem type every stage reports, and the error every stage may raise."""

from __future__ import annotations

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

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity} {self.rule} {self.message}"

    def with_severity(self, severity: Severity) -> Problem:
        return replace(self, severity=severity)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" and p.suppressed is None for p in problems)


class PlaybookError(Exception):
    """Raised when a stage cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
