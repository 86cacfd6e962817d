"""Problem reports in the formats CI and people read: text, json, github, sarif, junit."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from playbookgen import __version__
from playbookgen.problems import Problem
from playbookgen.rules import RuleDoc, rule_docs

FORMATS = ("text", "json", "github", "sarif", "junit")
RULE_FORMATS = ("text", "json")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_XML_UNSAFE = "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""Characters XML 1.0 does not allow (compiled on first use: the character ranges take
milliseconds to compile, which every command would pay at start-up)."""


def render(problems: list[Problem], fmt: str) -> str:
    """The report of ``problems`` in format ``fmt``."""
    if fmt == "json":
        return json.dumps([_as_dict(p) for p in problems], indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_github(p) for p in problems if p.suppressed is None)
    if fmt == "sarif":
        return json.dumps(sarif(problems), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return junit(problems)
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


def _catalog(problems: list[Problem]) -> list[RuleDoc]:
    """Every documented rule and check, plus any id a problem carries that is not documented."""
    docs = rule_docs()
    known = {doc.id for doc in docs}
    for problem in problems:
        if problem.rule not in known:
            known.add(problem.rule)
            docs.append(RuleDoc(problem.rule, problem.severity, problem.rule, problem.rule, "other"))
    return docs


def sarif(problems: list[Problem]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of ``problems``, with every rule's metadata (for GitHub code scanning)."""
    docs = _catalog(problems)
    index = {doc.id: number for number, doc in enumerate(docs)}
    rules = [
        {
            "id": doc.id,
            "shortDescription": {"text": doc.summary},
            "fullDescription": {"text": _first_paragraph(doc.doc_markdown)},
            "help": {"text": doc.doc_markdown, "markdown": doc.doc_markdown},
            "defaultConfiguration": {"level": doc.severity},
            "properties": {"tags": ["playbookgen", doc.stage]},
        }
        for doc in docs
    ]
    results = []
    for problem in problems:
        result: dict[str, Any] = {
            "ruleId": problem.rule,
            "ruleIndex": index[problem.rule],
            "level": problem.severity,
            "message": {"text": problem.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(problem.path.replace("\\", "/"))},
                        "region": {"startLine": problem.line, "startColumn": problem.column},
                    }
                }
            ],
        }
        if problem.suppressed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": problem.suppressed}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "playbookgen", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _first_paragraph(markdown: str) -> str:
    return " ".join(markdown.split("\n\n", 1)[0].split())


def junit(problems: list[Problem]) -> str:
    """A JUnit XML report: one test case per rule or check, failed when it found an error."""
    import xml.etree.ElementTree as ET  # only for this format

    suites = ET.Element("testsuites", name="playbookgen check")
    by_rule: dict[str, list[Problem]] = {}
    for problem in problems:
        by_rule.setdefault(problem.rule, []).append(problem)
    docs = _catalog(problems)
    total_failures = 0
    for stage_name, title in (("rules", "consistency rules"), (None, "built-in checks")):
        chosen = [d for d in docs if (d.stage == "rules") == (stage_name == "rules")]
        suite = ET.SubElement(suites, "testsuite", name=f"playbookgen {title}")
        failures = 0
        for doc in chosen:
            case = ET.SubElement(suite, "testcase", classname=f"playbookgen.{doc.stage}", name=doc.id)
            found = by_rule.get(doc.id, [])
            active = [p for p in found if p.suppressed is None]
            errors = [p for p in active if p.severity == "error"]
            if errors:
                failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_xml_text(f"{len(errors)} error{'s' * (len(errors) != 1)}: {doc.summary}"),
                    type="error",
                )
                failure.text = _xml_text("".join(f"{p}\n" for p in active))
            rest = [p for p in found if p.suppressed is not None or not errors]
            if rest:
                out = ET.SubElement(case, "system-out")
                out.text = _xml_text("".join(f"{p}{_suppressed(p)}\n" for p in rest))
        suite.set("tests", str(len(chosen)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_failures += failures
    suites.set("tests", str(len(docs)))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _suppressed(problem: Problem) -> str:
    return f" (suppressed: {problem.suppressed})" if problem.suppressed is not None else ""


def _xml_text(text: str) -> str:
    return re.sub(_XML_UNSAFE, "\ufffd", text)


def render_rules(docs: list[RuleDoc], fmt: str) -> str:
    """The list of rules and built-in checks, as a table (text) or as JSON with their docs."""
    if fmt == "json":
        entries = [
            {
                "id": d.id,
                "severity": d.severity,
                "stage": d.stage,
                "summary": d.summary,
                "doc": d.doc_markdown,
            }
            for d in docs
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    width = max(len(d.id) for d in docs) + 2
    lines: list[str] = []
    sections = (
        ("Consistency rules", [d for d in docs if d.stage == "rules"]),
        (
            "Built-in checks of loading, the schemas, the model and the build",
            [d for d in docs if d.stage != "rules"],
        ),
    )
    for title, chosen in sections:
        if lines:
            lines.append("")
        lines.append(f"{title} ({len(chosen)}):")
        lines.append(f"{'id':<{width}}{'severity':<10}summary")
        lines.extend(f"{d.id:<{width}}{d.severity:<10}{d.summary}" for d in chosen)
    return "\n".join(lines) + "\n"
