"""Problem reports in the formats CI and people read: text, json, github."""

from __future__ import annotations

import json
from dataclasses import replace

from playbookgen.problems import Problem

FORMATS = ("text", "json", "github")


def render(problems: list[Problem], fmt: str) -> str:
    """The report of ``problems`` in format ``fmt``."""
    if fmt == "json":
        return json.dumps([_as_dict(p) for p in problems], indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_github(p) for p in problems if p.suppressed is None)
    return _text(problems)


def _as_dict(problem: Problem) -> dict[str, object]:
    entry: dict[str, object] = {
        "file": problem.path,
        "line": problem.line,
        "column": problem.column,
        "rule": problem.rule,
        "severity": problem.severity,
        "message": problem.message,
    }
    if problem.suppressed is not None:
        entry["suppressed"] = problem.suppressed
    return entry


def _text(problems: list[Problem]) -> str:
    active = [p for p in problems if p.suppressed is None]
    lines = [str(p) for p in active]
    errors = sum(p.severity == "error" for p in active)
    warnings = len(active) - errors
    suppressed = len(problems) - len(active)
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if suppressed:
        summary += f", {suppressed} suppressed"
    lines.append(summary if active else f"No problems found ({summary}).")
    return "\n".join(lines) + "\n"


def _github(problem: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    return (
        f"::{problem.severity} file={escape_property(problem.path)},line={problem.line},"
        f"col={problem.column},title={escape_property(problem.rule)}::{escape(problem.message)}\n"
    )


def relocate(problems: list[Problem], prefix: str) -> list[Problem]:
    """Problems with paths as the user wrote the playbook folder, e.g. ``playbook/roles.yaml``."""
    if prefix in ("", "."):
        return problems
    base = prefix.rstrip("/")
    return [replace(p, path=f"{base}/{p.path}") for p in problems]
