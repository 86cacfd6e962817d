"""The check stage: load and validate every file, resolve references, run the rules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from playbookgen import projection, rules
from playbookgen.checkcache import CheckCache
from playbookgen.model import Playbook, load_playbook
from playbookgen.problems import Problem, has_errors
from playbookgen.rules.guard import broken_parts, dangling_references

# A file that could not be read at all stops the rules: they would report everything it
# defines as missing. Schema and model problems do not: the rules run on what loaded.
_RULES_STOPPED_BY = frozenset({"load"})
# Model checks after which every value still has its schema's shape: the rules read it all
# (and skip a reference that does not resolve).
_RULES_READ = frozenset({"unknown-reference", "duplicate-id", "id-matches-file"})


@dataclass
class CheckResult:
    """A loaded playbook and every problem found in it, sorted by place."""

    playbook: Playbook
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def config_error(self) -> bool:
        """True when the ``rules:`` settings in playbook.yaml are wrong (a usage error)."""
        return any(p.rule == "rules-config" and p.suppressed is None for p in self.problems)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading and the rules make many small objects and no reference cycles: the cyclic
    garbage collector would rescan the growing playbook again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(
    root: Path, *, strict: bool = False, today: date | None = None, cache: bool = True, light: bool = False
) -> CheckResult:
    """Check the playbook at ``root``; with ``strict``, warnings count as errors. Reviews are
    judged on ``today`` when given (see :func:`playbookgen.review.as_of`). With ``cache``,
    files unchanged since the last check are not parsed and validated again (see
    :mod:`playbookgen.checkcache`); the result is the same either way. With ``light`` too,
    the result's playbook may hold only part of an unchanged file's data until the rest is
    read (see :mod:`playbookgen.projection`): for a caller that reports the problems, not
    one that builds from the playbook."""
    with _collector_paused():
        return _check(
            root, strict=strict, today=today, cache=CheckCache(root) if cache else None, light=light
        )


def _check(
    root: Path, *, strict: bool, today: date | None, cache: CheckCache | None, light: bool = False
) -> CheckResult:
    playbook, problems = load_playbook(root, cache, light=light)
    playbook.today = today
    settings, config_problems = rules.configure(playbook)
    readable = not any(p.severity == "error" and _stage(p.rule) in _RULES_STOPPED_BY for p in problems)
    # The rules run on what loaded; those that read a part breaking its schema are left out.
    broken = broken_parts(
        playbook, (p for p in problems if p.severity == "error" and p.rule not in _RULES_READ)
    )
    if any(p.rule == "unknown-reference" for p in problems):
        projection.complete(playbook)
        broken.dangling = dangling_references(playbook)
    if broken:
        projection.complete(playbook)  # every rule runs on every file, watched
    problems = rules.adjust(problems, settings) + config_problems
    if readable:
        problems += rules.run(playbook, settings, broken=broken, cache=cache)
    if cache is not None:
        cache.save()
    problems = _suppress(playbook, problems)
    if strict:
        problems = [p.with_severity("error") for p in problems]
    return CheckResult(playbook, sorted(problems))


def _stage(rule: str) -> str:
    check = rules.STAGES.get(rule)
    return check.stage if check is not None else "rules"


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
