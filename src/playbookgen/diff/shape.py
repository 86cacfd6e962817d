"""The schema seen from the diff: for each kind of item, its schema node and where inside it
ids of other items are expected, so the comparison is led by the schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbookgen.model import FOLDERS, LISTS
from playbookgen.schema import load_schema, references

# Keys of playbook.yaml that describe the version, not the policy.
META_KEYS = {"$schema", "version", "effective_date", "previous", "history", "site", "rules", "paper"}

# Which way a number, a duration or a yes/no points: +1 when a higher value (or yes) asks
# more of staff (tightened), -1 when a lower one does. Paths are item-relative, lists as "*".
DIRECTION: dict[tuple[str, str], int] = {
    ("authority", "caps.*.per_case"): -1,
    ("authority", "caps.*.per_customer"): -1,
    ("settings", "period"): 1,
    ("recovery", "compensation.*.amount"): -1,
    ("sla-policy", "warnings.*.at_percent"): -1,
    ("sla-policy", "escalations.*.at_percent"): -1,
    ("category", "steps.*.within"): -1,
    ("category", "rca_required"): 1,
    ("category", "first_contact_resolution"): 1,
    ("training", "quiz.pass_mark"): 1,
    ("training", "quiz.attempts"): -1,
    ("training", "certification.validity"): -1,
    ("form", "sections.*.fields.*.required"): 1,
    ("qa", "pass_mark"): 1,
    ("qa", "sections.*.items.*.critical"): 1,
    ("qa", "sections.*.items.*.na_allowed"): -1,
    ("qa", "calibration.sample"): 1,
    ("qa", "calibration.agreement_objective"): 1,
    ("qa", "calibration.agreement_subjective"): 1,
    ("channel", "always_on"): 1,
    ("calendar", "always_open"): 1,
}
# List entries matched by a key other than ``id``.
LIST_KEYS: dict[tuple[str, str], str] = {
    ("authority", "caps"): "type",
    ("recovery", "compensation"): "type",
    ("recovery", "steps"): "stage",
    ("category", "root_causes"): "code",
    ("category", "recovery_waivers"): "family",
    ("calendar", "holidays"): "date",
    ("form", "approvals"): "role",
    ("training", "quiz.questions.*.options"): "text",
}
MONEY_KEYS = {"per_case", "per_customer", "amount"}
PERCENT_KEYS = {"pass_mark", "at_percent", "agreement_objective", "agreement_subjective"}


@dataclass(frozen=True)
class Shape:
    """The schema of one kind of item and where, inside it, ids of other items are expected."""

    node: dict[str, Any]
    refs: dict[tuple[str, ...], str]


_SHAPES: dict[str, Shape] = {}


def shape(kind: str) -> Shape:
    """The schema node of one item of ``kind`` and its references, relative to the item."""
    if kind in _SHAPES:
        return _SHAPES[kind]
    prefix: tuple[str, ...] = ()
    if kind in FOLDERS.values():
        file_kind = kind
    elif kind == "authority":
        file_kind, prefix = "authority", ("limits", "*")
    elif kind in ("settings", "priority-matrix"):
        _SHAPES[kind] = Shape({}, {})
        return _SHAPES[kind]
    else:
        file_kind, key = next(fk for fk, item_kind in LISTS.items() if item_kind == kind)
        prefix = (key, "*")
    node: dict[str, Any] = load_schema(file_kind)
    for part in prefix:
        node = node.get("items", {}) if part == "*" else node.get("properties", {}).get(part, {})
    refs = {
        ref.pattern[len(prefix) :]: ref.target
        for ref in references(file_kind)
        if ref.pattern[: len(prefix)] == prefix and not ref.on_key
    }
    _SHAPES[kind] = Shape(node, refs)
    return _SHAPES[kind]
