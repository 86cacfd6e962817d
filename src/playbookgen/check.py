"""The check stage: load and validate every file, resolve references, run the rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from playbookgen.model import Playbook, load_playbook
from playbookgen.problems import Problem, has_errors


@dataclass
class CheckResult:
    """A loaded playbook and every problem found in it, sorted by place."""

    playbook: Playbook
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(root: Path, *, strict: bool = False) -> CheckResult:
    """Check the playbook at ``root``; with ``strict``, warnings count as errors."""
    playbook, problems = load_playbook(root)
    problems = _suppress(playbook, problems)
    if strict:
        problems = [p.with_severity("error") for p in problems]
    return CheckResult(playbook, sorted(problems))


def _suppress(playbook: Playbook, problems: list[Problem]) -> list[Problem]:
    """Mark problems silenced by a ``# playbookgen: ignore[rule] reason`` comment on their line."""
    marked: list[Problem] = []
    for problem in problems:
        doc = playbook.docs.get(problem.path)
        for rule, reason in doc.suppressions.get(problem.line, []) if doc is not None else []:
            if rule == problem.rule:
                problem = replace(problem, suppressed=reason or "no reason given")
                break
        marked.append(problem)
    return marked
