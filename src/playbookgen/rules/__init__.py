"""The consistency rules: one module per rule, collected in one explicit registry.

Each rule module exports ``ID``, ``SEVERITY``, ``SUMMARY`` and a generator
``check(playbook)`` yielding :class:`~playbookgen.rules.base.Finding`; its docstring, with a
passing and a failing example, is the rule's documentation. The runner here, not the rule,
turns findings into problems with the rule's id and its configured severity. A rule whose
findings in a file depend only on that file and on the playbook's single files says
``SCOPE = "file"``: with the check cache its findings are kept per file and it runs again
only on files that changed (see :func:`scope`); every other rule looks across files and
runs on the whole playbook every time.

Rules run on a playbook whose every file loaded; they may rely on the shapes the schemas
promise (when a file breaks its schema, the runner leaves out the rules that read the broken
part, see :mod:`playbookgen.rules.guard`);
references may still dangle (``unknown-reference`` reports those), so rules skip what does
not resolve.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from playbookgen import kinds, projection
from playbookgen.model import Item, Playbook
from playbookgen.problems import Problem, Severity
from playbookgen.rules import (
    area_order,
    authority_monotone,
    calendar_always_on,
    calendar_valid,
    category_compensation,
    channel_coverage,
    cheat_sheet_scope,
    decision_dead_end,
    duplicate_part_id,
    escalation_branches,
    escalation_upward,
    fcr_sla,
    form_category_options,
    helpdesk_mapping,
    kpi_complete,
    languages_valid,
    module_materials,
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
from playbookgen.translations import languages

if TYPE_CHECKING:
    from playbookgen.checkcache import CheckCache

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
        decision_dead_end,
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
        module_materials,
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
    import inspect  # slow to import; a check needs no documentation

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


def scope(rule: RuleModule) -> str:
    """``file`` for a rule whose findings in a file depend only on that file and on the
    playbook's single files (playbook.yaml, roles.yaml, policies.yaml …), never on another
    file of a folder; else ``playbook`` (the default: a rule looks across files unless it
    says otherwise in its module with ``SCOPE = "file"``)."""
    return str(getattr(rule, "SCOPE", "playbook"))


Part = Callable[[Playbook], Iterator[Finding]]


def file_part(rule: RuleModule) -> Part | None:
    """The part of a rule whose findings in a file depend only on that file and the single
    files, which the check cache keeps per file: the whole rule for ``SCOPE = "file"``; for a
    rule split in two, its ``check_file`` (its ``check`` yields ``check_file``'s findings, then
    ``check_across``'s); else None."""
    if scope(rule) == "file":
        return rule.check
    found: Part | None = getattr(rule, "check_file", None)
    return found


def across_part(rule: RuleModule) -> Part | None:
    """The part of a rule that looks across files and runs on the whole playbook every time."""
    if scope(rule) == "file":
        return None
    if getattr(rule, "check_file", None) is not None:
        found: Part = getattr(rule, "check_across")  # noqa: B009 - a split rule has both
        return found
    return rule.check


def reads(rule: RuleModule) -> dict[str, tuple[str, ...]] | None:
    """What the part of a rule that looks across files reads of the files of folders: top-level
    keys by kind of file, as its module declares them in ``READS``; None when it declares
    nothing (it may read anything, so a check loads every file whole before it runs)."""
    found = getattr(rule, "READS", None)
    return dict(found) if found is not None else None


def declared_reads() -> dict[str, frozenset[str]]:
    """The keys of each kind of folder file that the rules looking across files read
    together (what the check cache keeps of an unchanged file, see
    :mod:`playbookgen.projection`)."""
    union: dict[str, set[str]] = {}
    for rule in RULES.values():
        if across_part(rule) is None:
            continue
        for kind, keys in (reads(rule) or {}).items():
            union.setdefault(kind, set()).update(keys)
    return {kind: frozenset(keys) for kind, keys in union.items()}


def run(
    playbook: Playbook,
    settings: dict[str, Setting] | None = None,
    *,
    broken: Broken | None = None,
    cache: CheckCache | None = None,
) -> list[Problem]:
    """The problems every enabled rule finds, with each rule's configured severity.

    ``broken`` names the files and items that break their schema and the ids that name
    nothing: a rule that reads a broken part is left out, and one that looked up a dangling
    id reports nothing in the items that refer to it (see :mod:`playbookgen.rules.guard`).
    With a ``cache`` and nothing broken, the file-scoped rules run only on the files whose
    findings the cache does not hold for this context (see :func:`scope`)."""
    settings = settings or {}
    problems: list[Problem] = []
    enabled: list[tuple[str, RuleModule, Severity]] = []
    for rule_id, rule in RULES.items():
        setting = settings.get(rule_id, rule.SEVERITY)
        if setting != "off":
            enabled.append((rule_id, rule, setting))
    try:
        parts: list[tuple[str, Part, Severity]] = [
            (rule_id, rule.check, setting) for rule_id, rule, setting in enabled
        ]
        if cache is not None and not broken:
            by_file = [
                (rule_id, part, setting) for rule_id, rule, setting in enabled if (part := file_part(rule))
            ]
            problems.extend(_run_by_file(playbook, by_file, cache))
            parts = [
                (rule_id, part, setting) for rule_id, rule, setting in enabled if (part := across_part(rule))
            ]
        if projection.partial(playbook) and (
            languages(playbook.settings)[1] or any(reads(RULES[rule_id]) is None for rule_id, _, _ in parts)
        ):
            # The translation rules read every text; a rule that declares no READS, anything.
            projection.complete(playbook)
        for rule_id, check, setting in parts:
            if not broken:
                problems.extend(finding.problem(rule_id, setting) for finding in check(playbook))
                continue
            seen = Watched(playbook, broken)
            try:
                findings = list(check(seen))
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


def _run_by_file(
    playbook: Playbook, chosen: list[tuple[str, Part, Severity]], cache: CheckCache
) -> list[Problem]:
    """The findings of file-scoped rules: kept ones for files the cache holds them for in
    this context, the rules run on the others (with the single files beside them)."""
    context = _context(playbook, [rule_id for rule_id, _, _ in chosen], cache)
    held: dict[str, tuple[tuple[object, ...], list[tuple[str, int, int, str]] | None]] = {}
    for rel, key in _item_keys(playbook, context).items():
        held[rel] = (key, cache.findings(rel, key))
    stale = [rel for rel, (_, rows) in held.items() if rows is None]
    if stale:
        projection.complete(playbook, set(stale))  # these rules read all of their files
        view = playbook if len(stale) == len(held) else _part(playbook, set(stale))
        found: dict[str, list[tuple[str, int, int, str]]] = {rel: [] for rel in stale}
        try:
            for rule_id, check, _ in chosen:
                for finding in check(view):
                    rows = found.get(finding.doc.relpath)
                    if rows is not None:
                        # Kept without a severity: the rule's setting gives it when read back.
                        problem = finding.problem(rule_id, severity="error")
                        rows.append((rule_id, problem.line, problem.column, problem.message))
        finally:
            forget_texts(view)
        for rel, rows in found.items():
            cache.keep_findings(rel, held[rel][0], rows)
            held[rel] = (held[rel][0], rows)
    severity = {rule_id: setting for rule_id, _, setting in chosen}
    return [
        Problem(rel, line, column, rule_id, severity[rule_id], message)
        for rel, (_, rows) in held.items()
        for rule_id, line, column, message in rows or ()
    ]


def _context(playbook: Playbook, chosen: list[str], cache: CheckCache) -> str:
    """What file-scoped findings may depend on besides their file: the rules run, the bytes
    of the single files, and the day reviews are judged on."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((chosen, playbook.today, os.environ.get("SOURCE_DATE_EPOCH"))).encode())
    for rel, kind in sorted(playbook.kinds.items()):
        if not kinds.source(kind).folder:
            digest.update(rel.encode() + b"\0" + cache.digest(rel) + b"\0")
    return digest.hexdigest()


def _item_keys(playbook: Playbook, context: str) -> dict[str, tuple[object, ...]]:
    """The context of each file: ``context`` and the items indexed from it (an item whose id
    another file took first is not indexed, and the rules do not see it)."""
    indexed: dict[str, list[tuple[str, str, object]]] = {rel: [] for rel in playbook.docs}
    for kind, bucket in playbook.items.items():
        for item_id, item in bucket.items():
            indexed[item.doc.relpath].append((kind, item_id, item.path))
    return {rel: (context, *items) for rel, items in indexed.items()}


def _part(playbook: Playbook, relpaths: set[str]) -> Playbook:
    """The playbook as file-scoped rules see ``relpaths``: those files, the single files,
    and the items indexed from them."""
    keep = relpaths | {rel for rel, kind in playbook.kinds.items() if not kinds.source(kind).folder}
    items: dict[str, dict[str, Item]] = {
        kind: {item_id: item for item_id, item in bucket.items() if item.doc.relpath in keep}
        for kind, bucket in playbook.items.items()
    }
    return Playbook(
        playbook.root,
        {rel: doc for rel, doc in playbook.docs.items() if rel in keep},
        {rel: kind for rel, kind in playbook.kinds.items() if rel in keep},
        items,
        playbook.translations,
        playbook.today,
    )


def adjust(problems: list[Problem], settings: dict[str, Setting]) -> list[Problem]:
    """Built-in check problems with the severity asked for in ``rules:`` (or dropped when off)."""
    adjusted: list[Problem] = []
    for problem in problems:
        setting = settings.get(problem.rule)
        if setting == "off":
            continue
        adjusted.append(problem.with_severity(setting) if setting is not None else problem)
    return adjusted
