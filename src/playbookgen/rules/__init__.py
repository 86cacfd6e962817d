"""The consistency rules: one module per rule, collected in one explicit registry.

Each rule module exports ``ID``, ``SEVERITY``, ``SUMMARY`` and a generator
``check(playbook)`` yielding :class:`~playbookgen.rules.base.Finding`; its docstring, with a
passing and a failing example, is the rule's documentation. The runner here, not the rule,
turns findings into problems with the rule's id and its configured severity.

Rules run on a playbook whose every file loaded; they may rely on the shapes the schemas
promise (when a file breaks its schema, the runner leaves out the rules that read the broken
part, see :mod:`playbookgen.rules.guard`);
references may still dangle (``unknown-reference`` reports those), so rules skip what does
not resolve.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from playbookgen.model import Playbook
from playbookgen.problems import Problem, Severity
from playbookgen.rules import (
    area_order,
    authority_monotone,
    calendar_always_on,
    calendar_valid,
    category_compensation,
    channel_coverage,
    cheat_sheet_scope,
    duplicate_part_id,
    escalation_branches,
    escalation_upward,
    fcr_sla,
    form_category_options,
    helpdesk_mapping,
    kpi_complete,
    languages_valid,
    orphaned_item,
    owner_has_raci,
    partner_deadlines,
    personal_data,
    policy_reference,
    priority_matrix_complete,
    priority_matrix_monotone,
    qa_training_map,
    qa_weights,
    qualified_role,
    quiz_answers,
    raci_accountable,
    raci_letters,
    raci_override,
    raci_responsible,
    rca_closure_form,
    recovery_coverage,
    review_due,
    review_overdue,
    script_compensation_authority,
    script_framework_coverage,
    script_translation_missing,
    sla_metric_order,
    sla_priority_coverage,
    sla_priority_monotone,
    sla_variants,
    sla_warning_order,
    sla_zero_duration,
    staffing_targets,
    support_hours,
    training_duration,
    training_duration_sum,
    training_objectives,
    training_prerequisites,
    translation_missing,
    translation_outdated,
    translation_stray,
    unique_ranks,
    unsafe_link,
)
from playbookgen.rules.base import Finding, forget_texts
from playbookgen.rules.guard import Broken, Watched
from playbookgen.rules.stages import STAGE_CHECKS, StageCheck

Setting = Literal["error", "warning", "off"]


class RuleModule(Protocol):
    """What a rule module exports."""

    ID: str
    SEVERITY: Severity
    SUMMARY: str

    def check(self, playbook: Playbook) -> Iterator[Finding]: ...


RULES: dict[str, RuleModule] = {
    rule.ID: rule
    for rule in (
        # references and structure
        orphaned_item,
        form_category_options,
        policy_reference,
        unsafe_link,
        duplicate_part_id,
        personal_data,
        # SLA and priority
        sla_metric_order,
        sla_priority_monotone,
        sla_priority_coverage,
        sla_zero_duration,
        sla_warning_order,
        sla_variants,
        partner_deadlines,
        priority_matrix_complete,
        priority_matrix_monotone,
        unique_ranks,
        calendar_valid,
        calendar_always_on,
        channel_coverage,
        support_hours,
        fcr_sla,
        # roles, escalation, authority
        raci_accountable,
        raci_responsible,
        raci_letters,
        raci_override,
        owner_has_raci,
        escalation_branches,
        escalation_upward,
        qualified_role,
        authority_monotone,
        script_compensation_authority,
        category_compensation,
        # scripts, QA, training, KPIs
        script_framework_coverage,
        recovery_coverage,
        cheat_sheet_scope,
        qa_weights,
        qa_training_map,
        training_prerequisites,
        training_duration,
        training_duration_sum,
        training_objectives,
        quiz_answers,
        kpi_complete,
        rca_closure_form,
        staffing_targets,
        area_order,
        helpdesk_mapping,
        # languages
        languages_valid,
        script_translation_missing,
        translation_missing,
        translation_outdated,
        translation_stray,
        # ownership and review
        review_due,
        review_overdue,
    )
}
STAGES: dict[str, StageCheck] = {check.id: check for check in STAGE_CHECKS}


@dataclass(frozen=True)
class RuleDoc:
    """A rule or built-in check as its documentation page shows it."""

    id: str
    severity: Severity
    summary: str
    doc_markdown: str
    stage: str = "rules"
    """'rules' for a consistency rule; 'load', 'schema', 'model', 'config' or 'build' for a built-in check."""


def rule_docs() -> list[RuleDoc]:
    """Every consistency rule, then every built-in check, with its documentation in Markdown."""
    docs = [
        RuleDoc(rule.ID, rule.SEVERITY, rule.SUMMARY, inspect.cleandoc(inspect.getdoc(rule) or ""))
        for rule in RULES.values()
    ]
    docs.extend(RuleDoc(c.id, c.severity, c.summary, c.doc, c.stage) for c in STAGE_CHECKS)
    return docs


def configure(playbook: Playbook) -> tuple[dict[str, Setting], list[Problem]]:
    """The severity changes asked for in ``rules:`` of playbook.yaml, and problems with them."""
    doc = playbook.docs.get("playbook.yaml")
    mapping = playbook.settings.get("rules")
    if doc is None or not isinstance(mapping, dict):
        return {}, []
    settings: dict[str, Setting] = {}
    problems: list[Problem] = []
    for rule_id, value in mapping.items():
        where = ("rules", rule_id)
        stage = STAGES.get(rule_id)
        if value not in ("error", "warning", "off"):
            continue  # the schema reports it
        if rule_id in RULES or (stage is not None and stage.configurable):
            settings[rule_id] = value
        elif stage is not None:
            problems.append(
                doc.problem(
                    where,
                    "rules-config",
                    f"'{rule_id}' is a built-in check of {stage.stage} and cannot be changed; fix what it "
                    "reports, or silence one place with # playbookgen: ignore[rule-id] reason",
                    key=True,
                )
            )
        else:
            known = [*RULES, *(c.id for c in STAGE_CHECKS if c.configurable)]
            close = difflib.get_close_matches(rule_id, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "`playbookgen rules` lists them"
            problems.append(
                doc.problem(where, "rules-config", f"there is no rule '{rule_id}'; {hint}", key=True)
            )
    return settings, problems


def run(
    playbook: Playbook, settings: dict[str, Setting] | None = None, *, broken: Broken | None = None
) -> list[Problem]:
    """The problems every enabled rule finds, with each rule's configured severity.

    ``broken`` names the files and items that break their schema and the ids that name
    nothing: a rule that reads a broken part is left out, and one that looked up a dangling
    id reports nothing in the items that refer to it (see :mod:`playbookgen.rules.guard`)."""
    settings = settings or {}
    problems: list[Problem] = []
    try:
        for rule_id, rule in RULES.items():
            setting = settings.get(rule_id, rule.SEVERITY)
            if setting == "off":
                continue
            if not broken:
                problems.extend(finding.problem(rule_id, setting) for finding in rule.check(playbook))
                continue
            seen = Watched(playbook, broken)
            try:
                findings = list(rule.check(seen))
            except Exception:
                # A value of the wrong shape the watch did not see (never a traceback for a
                # playbook with schema errors; a rule that fails on a valid one is a bug).
                if not (seen.tainted or broken.files or broken.items):
                    raise
                continue
            if not seen.tainted:
                problems.extend(
                    finding.problem(rule_id, setting)
                    for finding in findings
                    if not broken.follows(seen.looked_up, finding.doc.relpath, finding.path)
                )
    finally:
        forget_texts(playbook)  # the list of every text is as large as the playbook itself
    return problems


def adjust(problems: list[Problem], settings: dict[str, Setting]) -> list[Problem]:
    """Built-in check problems with the severity asked for in ``rules:`` (or dropped when off)."""
    adjusted: list[Problem] = []
    for problem in problems:
        setting = settings.get(problem.rule)
        if setting == "off":
            continue
        adjusted.append(problem.with_severity(setting) if setting is not None else problem)
    return adjusted
