"""The semantic policy diff: what changed between two playbooks, said the way the people who
work to it would say it, and which training modules and printed documents that touches.

Two *models* are compared, never two texts: items are matched by kind and id (a file renamed
with the same content is no change), list entries by their id or natural key, and values are
read through the schemas — a reference is shown by the name of what it names, a duration in
words, a cap as money. Each change is classed:

- ``tightened``: the standard asks more of staff or leaves them less latitude (a shorter SLA
  target, a lower goodwill cap, a higher pass mark, a field made required, a higher priority);
- ``loosened``: the opposite;
- ``added`` / ``removed``: an item or an entry in a list appears or disappears;
- ``reworded``: text only;
- ``changed``: a change of substance without a direction (another owner role, a RACI letter).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbookgen import views
from playbookgen.durations import describe_target, elapsed_hours, humanize, parse_duration
from playbookgen.model import FOLDERS, KIND_NAMES, LISTS, Item, Playbook, load_playbook
from playbookgen.problems import Problem, has_errors
from playbookgen.revisions import RevisionError, identity, is_revision, playbook_at
from playbookgen.schema import load_schema, references
from playbookgen.text import inline, policy_refs

CLASSES = ("tightened", "loosened", "added", "removed", "reworded", "changed")
FORMATS = ("text", "markdown", "json")

# The order of groups in a report, and each group's heading.
GROUPS: dict[str, str] = {
    "category": "Categories",
    "sla-policy": "SLA policies",
    "priority-matrix": "Priority matrix",
    "priority": "Priorities",
    "impact": "Impact levels",
    "urgency": "Urgency levels",
    "policy": "Policy values",
    "authority": "Goodwill authority",
    "compensation-type": "Compensation types",
    "recovery": "Recovery scripts",
    "activity": "RACI",
    "form": "Forms",
    "training": "Training modules",
    "qa": "QA scorecards",
    "kpi": "KPIs",
    "role": "Roles",
    "level": "Escalation levels",
    "channel": "Channels",
    "calendar": "Calendars",
    "contact": "Official contacts",
    "cheat-sheet": "Cheat sheets",
    "settings": "Playbook settings",
}
_KIND_NAMES = {**KIND_NAMES, "authority": "goodwill limits", "priority-matrix": "priority matrix cell"}

# Keys of playbook.yaml that describe the version, not the policy.
_META_KEYS = {"$schema", "version", "effective_date", "previous", "history", "site", "rules", "paper"}

# Which way a number, a duration or a yes/no points: +1 when a higher value (or yes) asks
# more of staff (tightened), -1 when a lower one does. Paths are item-relative, lists as "*".
_DIRECTION: dict[tuple[str, str], int] = {
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
_LIST_KEYS: dict[tuple[str, str], str] = {
    ("authority", "caps"): "type",
    ("recovery", "compensation"): "type",
    ("recovery", "steps"): "stage",
    ("category", "root_causes"): "code",
    ("category", "recovery_waivers"): "family",
    ("calendar", "holidays"): "date",
    ("form", "approvals"): "role",
    ("training", "quiz.questions.*.options"): "text",
}
_ENTRY_NAMES = {
    "fields": "field",
    "sections": "section",
    "questions": "question",
    "objectives": "objective",
    "items": "item",
    "root_causes": "root cause",
    "caps": "cap",
    "compensation": "compensation",
    "steps": "step",
    "exercises": "exercise",
    "approvals": "approval",
    "holidays": "holiday",
    "hours": "opening hours",
    "warnings": "warning",
    "escalations": "escalation",
    "options": "option",
    "recovery_waivers": "recovery waiver",
}
_LABELS = {
    "sla_policy": "SLA policy",
    "rca_required": "RCA/CAPA required",
    "first_contact_resolution": "first-contact resolution expected",
    "per_case": "per case",
    "per_customer": "per customer",
    "pass_mark": "pass mark",
    "at_percent": "at",
    "resolve_now": "resolve now",
    "na_allowed": "N/A allowed",
    "fail_effect": "failing effect",
    "reports_to": "reports to",
    "handled_by": "handled by",
    "always_on": "always on",
    "always_open": "always open",
    "closure_form": "closure form",
    "recovery_scripts": "recovery scripts",
    "partner_team": "partner team",
    "legal_name": "legal name",
    "approved_by": "approved by",
    "key_points": "key points",
    "trainer_notes": "trainer notes",
    "agreement_objective": "agreement on objective items",
    "agreement_subjective": "agreement on subjective items",
    "quiz.pass_mark": "quiz pass mark",
    "quiz.attempts": "quiz attempts",
    "certification.validity": "certificate validity",
    "covers.categories": "categories covered",
    "covers.policies": "policies covered",
    "covers.forms": "forms covered",
}
_MONEY_KEYS = {"per_case", "per_customer", "amount"}
_PERCENT_KEYS = {"pass_mark", "at_percent", "agreement_objective", "agreement_subjective"}
_SLA_FIELDS = (("first_response", "first response"), ("update", "next update"), ("resolution", "resolution"))


@dataclass(frozen=True)
class Affects:
    """What a change touches: modules to retrain, printouts to redo, categories concerned."""

    training: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    cheat_sheets: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "training": list(self.training),
            "forms": list(self.forms),
            "categories": list(self.categories),
            "cheat_sheets": list(self.cheat_sheets),
        }


@dataclass(frozen=True)
class Change:
    """One change between two playbooks, in words."""

    kind: str
    id: str
    cls: str
    summary: str
    field: str = ""
    before: Any = None
    after: Any = None
    affects: Affects = Affects()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "class": self.cls,
            "summary": self.summary,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "affects": self.affects.as_dict(),
        }


@dataclass(frozen=True)
class Side:
    """One of the two playbooks compared: how it was named and which version it is."""

    label: str
    version: str | None = None
    effective_date: str | None = None

    def describe(self) -> str:
        parts = [f"version {self.version}" if self.version else "", self.effective_date or ""]
        details = ", effective ".join(p for p in parts if p)
        return f"{self.label} ({details})" if details else self.label


@dataclass
class Changelog:
    """Every change from ``old`` to ``new``, in report order, with the names to show."""

    old: Side
    new: Side
    changes: list[Change]
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    def name(self, kind: str, item_id: str) -> str:
        return self.names.get(kind, {}).get(item_id, item_id)

    def counts(self) -> dict[str, int]:
        """How many changes of each class, in class order, leaving out classes with none."""
        return {c: n for c in CLASSES if (n := sum(ch.cls == c for ch in self.changes))}

    def retrain(self) -> list[tuple[str, list[Change]]]:
        """Training modules to retrain, each with the changes that touch it."""
        found: dict[str, list[Change]] = {}
        for change in self.changes:
            for module in change.affects.training:
                found.setdefault(module, []).append(change)
        return sorted(found.items(), key=lambda kv: (self.name("training", kv[0]).lower(), kv[0]))

    def reprint(self) -> list[tuple[str, str]]:
        """(kind, id) of every printed document to redo: forms, cheat sheets, QA scorecards,
        and the trainer/trainee editions of modules whose own content changed."""
        found: set[tuple[str, str]] = set()
        for change in self.changes:
            found.update(("form", f) for f in change.affects.forms)
            found.update(("cheat-sheet", s) for s in change.affects.cheat_sheets)
            if change.kind in ("qa", "training") and change.cls != "removed":
                found.add((change.kind, change.id))
            if change.kind in ("form", "cheat-sheet") and change.cls == "removed" and change.field == "":
                found.discard((change.kind, change.id))
        order = {"form": 0, "cheat-sheet": 1, "qa": 2, "training": 3}
        return sorted(found, key=lambda k: (order[k[0]], self.name(*k).lower(), k[1]))


class DiffError(Exception):
    """A playbook that cannot be compared: it could not be found or it has errors."""

    def __init__(self, message: str, problems: list[Problem] | None = None, label: str = "") -> None:
        super().__init__(message)
        self.problems = problems or []
        self.label = label


def diff_specs(old: str, new: str, *, anchor: Path | None = None) -> Changelog:
    """Compare two playbooks named as folders or ``git:REV``. A revision is read from the
    repository of ``anchor`` (default: whichever side is a folder, else ``playbook``)."""
    if anchor is None:
        folders = [s for s in (new, old) if not is_revision(s)]
        anchor = Path(folders[0]) if folders else Path("playbook")
    try:
        with playbook_at(old, anchor) as old_root, playbook_at(new, anchor) as new_root:
            old_playbook = _load(old_root, old)
            new_playbook = _load(new_root, new)
            return compare(old_playbook, new_playbook, old_label=old, new_label=new)
    except RevisionError as exc:
        raise DiffError(str(exc)) from exc


def _load(root: Path, label: str) -> Playbook:
    playbook, problems = load_playbook(root)
    if has_errors(problems):
        errors = sorted(p for p in problems if p.severity == "error" and p.suppressed is None)
        raise DiffError(
            f"{label} has {len(errors)} error{'s' * (len(errors) != 1)}; fix them (run playbookgen check) "
            "before comparing",
            errors,
            label,
        )
    return playbook


def compare(old: Playbook, new: Playbook, *, old_label: str = "old", new_label: str = "new") -> Changelog:
    """Every change from ``old`` to ``new``."""
    comparison = _Comparison(old, new)
    changes = comparison.run()
    names: dict[str, dict[str, str]] = {}
    for playbook in (old, new):
        for kind, items in playbook.items.items():
            names.setdefault(kind, {}).update({i: item.name for i, item in items.items()})
    return Changelog(_side(old, old_label), _side(new, new_label), changes, names)


def _side(playbook: Playbook, label: str) -> Side:
    settings = playbook.settings
    version, effective = settings.get("version"), settings.get("effective_date")
    return Side(label, str(version) if version else None, str(effective) if effective else None)


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    kind: str
    id: str
    subject: str
    name: str = ""


@dataclass(frozen=True)
class _Shape:
    """The schema of one kind of item and where, inside it, ids of other items are expected."""

    node: dict[str, Any]
    refs: dict[tuple[str, ...], str]


Handler = Callable[["_Comparison", _Ctx, Any, Any, dict[str, Any], tuple[str, ...], str], None]


class _Comparison:
    def __init__(self, old: Playbook, new: Playbook) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.usage = {id(p): _policy_usage(p) for p in (old, new)}
        self.handlers: dict[tuple[str, tuple[str, ...]], Handler] = {
            ("sla-policy", ("targets",)): _Comparison._sla_targets,
            ("category", ("escalation_path",)): _Comparison._escalation_path,
            ("category", ("steps",)): _Comparison._category_steps,
            ("recovery", ("compensation",)): _Comparison._recovery_compensation,
            ("authority", ("caps",)): _Comparison._authority_caps,
            ("activity", ("assignments",)): _Comparison._raci,
            ("policy", ("value",)): _Comparison._policy_value,
            ("policy", ("unit",)): _Comparison._skip,
            ("kpi", ("target",)): _Comparison._kpi_target,
            ("category", ("impact",)): _Comparison._skip,
            ("category", ("urgency",)): _Comparison._skip,
            ("category", ("sla_policy",)): _Comparison._skip,
        }

    # -- driving

    def run(self) -> list[Change]:
        for kind in GROUPS:
            if kind == "priority-matrix":
                self._matrix()
            elif kind == "settings":
                self._settings()
            elif kind == "authority":
                self._items(kind, _authority_items(self.old), _authority_items(self.new))
            else:
                self._items(kind, self.old.items.get(kind, {}), self.new.items.get(kind, {}))
        return self.changes

    def _items(self, kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        shape = _shape(kind)
        for item_id in sorted(set(old) | set(new)):
            before, after = old.get(item_id), new.get(item_id)
            name = self.name("role", item_id) if kind == "authority" else self.name(kind, item_id)
            if before is None:
                self.emit(
                    _Ctx(kind, item_id, name), "added", f"New {_KIND_NAMES[kind]}: {name}", "", None, name
                )
                continue
            if after is None:
                summary = f"{_cap(_KIND_NAMES[kind])} removed: {name}"
                self.emit(_Ctx(kind, item_id, name), "removed", summary, "", name, None)
                continue
            old_data, new_data = _data(before), _data(after)
            if old_data == new_data:
                continue
            ctx = _Ctx(kind, item_id, self._subject(kind, item_id, name), name)
            if kind == "category":
                self._category_sla(ctx, old_data, new_data)
            self.walk(ctx, old_data, new_data, shape.node, (), "")

    def _subject(self, kind: str, item_id: str, name: str) -> str:
        if kind == "authority":
            return f"Goodwill limits for {name}"
        if kind == "activity":
            return f"RACI '{name}'"
        if kind == "policy":
            return name if "policy" in name.lower() else f"{name} policy"
        return f"{_cap(_KIND_NAMES[kind])} '{name}'"

    def emit(
        self,
        ctx: _Ctx,
        cls: str,
        summary: str,
        field: str,
        before: Any,
        after: Any,
        categories: Iterable[str] | None = None,
    ) -> None:
        """Record a change to the item ``ctx`` is about (``categories``: the ones it applies to,
        when not all of the item's)."""
        affects = self.affects(ctx.kind, ctx.id, set(categories) if categories is not None else None)
        self.changes.append(Change(ctx.kind, ctx.id, cls, summary, field, before, after, affects))

    # -- the generic walk, led by the schema

    def walk(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        if old == new:
            return
        if old is None and isinstance(new, (list, dict)):
            old = type(new)()
        if new is None and isinstance(old, (list, dict)):
            new = type(old)()
        handler = self.handlers.get((ctx.kind, spath))
        if handler is not None:
            handler(self, ctx, old, new, node, spath, fpath)
            return
        if isinstance(old, dict) and isinstance(new, dict):
            self._walk_mapping(ctx, old, new, node, spath, fpath)
        elif isinstance(old, list) and isinstance(new, list):
            self._walk_list(ctx, old, new, node, spath, fpath)
        else:
            self._scalar(ctx, old, new, node, spath, fpath)

    def _walk_mapping(
        self,
        ctx: _Ctx,
        old: dict[str, Any],
        new: dict[str, Any],
        node: dict[str, Any],
        spath: tuple[str, ...],
        fpath: str,
    ) -> None:
        props: dict[str, Any] = node.get("properties", {})
        keys = [k for k in props if k in old or k in new]
        keys += sorted(k for k in {*old, *new} if k not in props)
        extra = node.get("additionalProperties")
        for key in keys:
            if key == "$schema":
                continue
            if key in props:
                child, segment = props[key], key
            else:
                child, segment = (extra if isinstance(extra, dict) else {}), "**"
            self.walk(ctx, old.get(key), new.get(key), child, (*spath, segment), _join(fpath, key))

    def _walk_list(
        self,
        ctx: _Ctx,
        old: list[Any],
        new: list[Any],
        node: dict[str, Any],
        spath: tuple[str, ...],
        fpath: str,
    ) -> None:
        child = node.get("items", {}) if isinstance(node.get("items"), dict) else {}
        label = _label(spath)
        if all(isinstance(v, dict) for v in (*old, *new)):
            key = _LIST_KEYS.get((ctx.kind, _norm(spath)))
            if key is None and all("id" in v for v in (*old, *new)):
                key = "id"
            entry = _ENTRY_NAMES.get(spath[-1] if spath else "", "entry")
            if key is None:
                pairs: list[tuple[str, Any, Any]] = [
                    (str(i + 1), old[i] if i < len(old) else None, new[i] if i < len(new) else None)
                    for i in range(max(len(old), len(new)))
                ]
            else:
                olds = {str(v.get(key)): v for v in old}
                news = {str(v.get(key)): v for v in new}
                pairs = [(k, olds.get(k), v) for k, v in news.items()]
                pairs += [(k, v, None) for k, v in olds.items() if k not in news]
            for k, before, after in pairs:
                shown = self._entry_name(ctx, spath, before if after is None else after, key, k)
                where = f"{fpath}[{k}]"
                if before is None:
                    self.emit(ctx, "added", f"{ctx.subject}: new {entry} {shown}", where, None, after)
                elif after is None:
                    summary = f"{ctx.subject}: {entry} {shown} removed"
                    self.emit(ctx, "removed", summary, where, before, None)
                else:
                    sub = _Ctx(ctx.kind, ctx.id, f"{ctx.subject}, {entry} {shown}")
                    self.walk(sub, before, after, child, (*spath, "*"), where)
            return
        target = self._ref_target(ctx.kind, (*spath, "*"))
        if target is not None or "enum" in child:
            for value in [v for v in new if v not in old]:
                summary = f"{ctx.subject}: {self._show(ctx.kind, (*spath, '*'), value)} added to {label}"
                self.emit(ctx, "added", summary, fpath, None, value)
            for value in [v for v in old if v not in new]:
                shown = self._show(ctx.kind, (*spath, "*"), value, old=True)
                summary = f"{ctx.subject}: {shown} removed from {label}"
                self.emit(ctx, "removed", summary, fpath, value, None)
            return
        self.emit(ctx, "reworded", f"{ctx.subject}: {label} reworded", fpath, old, new)

    def _entry_name(self, ctx: _Ctx, spath: tuple[str, ...], value: Any, key: str | None, k: str) -> str:
        if key is not None and key != "id":
            target = self._ref_target(ctx.kind, (*spath, "*", key))
            if target is not None:
                return f"'{self.name(target, k)}'"
        if isinstance(value, dict):
            for name_key in ("label", "name", "title", "text", "prompt", "do", "description"):
                text = value.get(name_key)
                if isinstance(text, str):
                    return f"'{_short(text)}'"
        return f"'{k}'" if key is not None else k

    def _scalar(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        label = _label(spath)
        types = node.get("type")
        if old is None and (types == "boolean" or isinstance(new, bool)):
            old = node.get("default", False)
        if new is None and (types == "boolean" or isinstance(old, bool)):
            new = node.get("default", False)
        if old == new:
            return
        if spath and spath[-1] in ("name", "title") and isinstance(old, str) and isinstance(new, str):
            self.emit(ctx, "reworded", f"{ctx.subject}: renamed '{old}' → '{new}'", fpath, old, new)
            return
        if old is None:
            summary = f"{ctx.subject}: {label} set to {self._show(ctx.kind, spath, new)}"
            self.emit(ctx, "added", summary, fpath, None, new)
            return
        if new is None:
            summary = f"{ctx.subject}: {label} removed (was {self._show(ctx.kind, spath, old, old=True)})"
            self.emit(ctx, "removed", summary, fpath, old, None)
            return
        is_text = (
            isinstance(old, str)
            and isinstance(new, str)
            and self._ref_target(ctx.kind, spath) is None
            and "enum" not in node
            and "pattern" not in node
        )
        if is_text:
            self.emit(ctx, "reworded", f"{ctx.subject}: {label} reworded", fpath, old, new)
            return
        cls = _direction_class(_DIRECTION.get((ctx.kind, _norm(spath))), old, new)
        if isinstance(old, bool) and isinstance(new, bool):
            summary = f"{ctx.subject}: {label} {'yes → no' if old else 'no → yes'}"
        else:
            shown = f"{self._show(ctx.kind, spath, old, old=True)} → {self._show(ctx.kind, spath, new)}"
            summary = f"{ctx.subject}: {label} {shown}"
        self.emit(ctx, cls, summary, fpath, old, new)

    # -- values in words

    def name(self, kind: str, item_id: str, *, old: bool = False) -> str:
        """The name of an item, as the new playbook (or, with ``old``, the old one) has it."""
        first, second = (self.old, self.new) if old else (self.new, self.old)
        item = first.get(kind, item_id) or second.get(kind, item_id)
        if kind == "priority":
            return _priority_label(item, item_id)
        return item.name if item is not None else item_id

    def _ref_target(self, kind: str, spath: tuple[str, ...]) -> str | None:
        return _shape(kind).refs.get(spath)

    def _show(self, kind: str, spath: tuple[str, ...], value: Any, *, old: bool = False) -> str:
        if isinstance(value, list):
            return ", ".join(self._show(kind, (*spath, "*"), v, old=old) for v in value) or "none"
        target = self._ref_target(kind, spath)
        if target is not None and isinstance(value, str):
            return self.name(target, value, old=old)
        key = next((s for s in reversed(spath) if s not in ("*", "**")), "")
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (int, float)):
            if key in _MONEY_KEYS:
                return views.money(value, views.currency(self.new))
            if key in _PERCENT_KEYS:
                return f"{value:g}%"
            return f"{value:g}"
        if isinstance(value, str):
            duration = parse_duration(value)
            return humanize(duration) if duration is not None else value
        return json.dumps(value, ensure_ascii=False)

    # -- special cases

    def _skip(self, *_: Any) -> None:
        """Compared elsewhere (a category's SLA, a policy's unit with its value)."""

    def _category_sla(self, ctx: _Ctx, old: dict[str, Any], new: dict[str, Any]) -> None:
        """A category's own priority and SLA targets, when the category itself moved them."""
        if all(old.get(k) == new.get(k) for k in ("impact", "urgency", "sla_policy")):
            return
        name = ctx.name
        old_pri, new_pri = _priority_for(self.old, old), _priority_for(self.new, new)
        causes = []
        for key, kind in (("impact", "impact"), ("urgency", "urgency"), ("sla_policy", "sla-policy")):
            if old.get(key) != new.get(key):
                causes.append(
                    f"{_LABELS.get(key, key)} {self.name(kind, str(old.get(key)), old=True)} → "
                    f"{self.name(kind, str(new.get(key)))}"
                )
        cause = "; ".join(causes)
        emitted = False
        if old_pri != new_pri:
            old_rank, new_rank = _rank(self.old, old_pri), _rank(self.new, new_pri)
            cls = "tightened" if new_rank < old_rank else "loosened" if new_rank > old_rank else "changed"
            self.emit(
                ctx,
                cls,
                f"{name}: priority {self.name('priority', str(old_pri), old=True)} → "
                f"{self.name('priority', str(new_pri))} ({cause})",
                "priority",
                old_pri,
                new_pri,
            )
            emitted = True
        old_target = _target(self.old, old.get("sla_policy"), old_pri)
        new_target = _target(self.new, new.get("sla_policy"), new_pri)
        if old_target is not None and new_target is not None:
            for key, words in _SLA_FIELDS:
                found = _compare_target(self.old, old_target, self.new, new_target, key)
                if found is None:
                    continue
                cls, before, after = found
                self.emit(
                    ctx,
                    cls,
                    f"{name}, priority {self.name('priority', str(new_pri))}: {words} {before} → {after}"
                    f" ({cause})",
                    f"sla.{key}",
                    old_target.get(key),
                    new_target.get(key),
                )
                emitted = True
        if not emitted:
            summary = f"{name}: {cause} (same priority and SLA targets)"
            self.emit(
                ctx,
                "changed",
                summary,
                ",".join(k for k in ("impact", "urgency", "sla_policy") if old.get(k) != new.get(k)),
                {k: old.get(k) for k in ("impact", "urgency", "sla_policy")},
                {k: new.get(k) for k in ("impact", "urgency", "sla_policy")},
            )

    def _sla_targets(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        olds = {str(t.get("priority")): t for t in old or [] if isinstance(t, dict)}
        news = {str(t.get("priority")): t for t in new or [] if isinstance(t, dict)}
        order = sorted(set(olds) | set(news), key=lambda p: (_rank(self.new, p), p))
        for priority in order:
            before, after = olds.get(priority), news.get(priority)
            cats = self._categories_on(ctx.id, priority)
            who = _list_names([self.name("category", c) for c in cats], "category", "categories")
            where = f"{ctx.subject}, priority {self.name('priority', priority)}"
            suffix = f" ({who})" if who else ""
            if before is None or after is None:
                target: dict[str, Any] = after if after is not None else before or {}
                playbook = self.new if before is None else self.old
                words = ", ".join(
                    f"{label} {_target_words(playbook, target, key)}" for key, label in _SLA_FIELDS
                )
                cls = "added" if before is None else "removed"
                text = f"new targets: {words}" if before is None else f"targets removed (were {words})"
                summary = f"{where}: {text}{suffix}"
                self.emit(ctx, cls, summary, f"targets[{priority}]", before, after, cats)
                continue
            for key, label in _SLA_FIELDS:
                found = _compare_target(self.old, before, self.new, after, key)
                if found is not None:
                    cls, text_before, text_after = found
                    summary = f"{where}: {label} {text_before} → {text_after}{suffix}"
                    self.emit(
                        ctx, cls, summary, f"targets[{priority}].{key}", before.get(key), after.get(key), cats
                    )

    def _categories_on(self, policy_id: str, priority_id: str) -> list[str]:
        """Categories that follow an SLA policy at a priority, in either playbook."""
        found = set()
        for playbook in (self.old, self.new):
            for category in playbook.all("category"):
                pri = views.priority_of(playbook, category)
                if category.data.get("sla_policy") == policy_id and pri is not None and pri.id == priority_id:
                    found.add(category.id)
        return sorted(found)

    def _escalation_path(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        old, new = old or [], new or []
        old_roles = [str(s.get("role")) for s in old]
        new_roles = [str(s.get("role")) for s in new]
        if old_roles != new_roles:
            if len(new_roles) > len(old_roles) and _is_subsequence(old_roles, new_roles):
                cls = "added"
            elif len(new_roles) < len(old_roles) and _is_subsequence(new_roles, old_roles):
                cls = "removed"
            else:
                cls = "changed"
            path, was = self._path(new_roles), self._path(old_roles, old=True)
            summary = f"{ctx.subject}: escalation path {path} (was {was})"
            self.emit(ctx, cls, summary, fpath, old_roles, new_roles)
            return
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                role = self.name("role", str(after.get("role")))
                summary = f"{ctx.subject}: when to escalate to {role} reworded"
                self.emit(
                    ctx,
                    "reworded",
                    summary,
                    f"{fpath}[{index + 1}].when",
                    before.get("when"),
                    after.get("when"),
                )

    def _path(self, roles: list[str], *, old: bool = False) -> str:
        return " → ".join(self.name("role", r, old=old) for r in roles) or "none"

    def _category_steps(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        old, new = old or [], new or []
        child = node.get("items", {})
        matcher = difflib.SequenceMatcher(
            a=[str(s.get("do")) for s in old], b=[str(s.get("do")) for s in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for offset in range(i2 - i1):
                    sub = _Ctx(ctx.kind, ctx.id, f"{ctx.subject}, step {j1 + offset + 1}")
                    where = f"{fpath}[{j1 + offset + 1}]"
                    self.walk(sub, old[i1 + offset], new[j1 + offset], child, (*spath, "*"), where)
                continue
            for index in range(i1, i2):
                step = old[index]
                summary = f"{ctx.subject}: step '{_short(str(step.get('do')))}' removed"
                self.emit(ctx, "removed", summary, f"{fpath}[{index + 1}]", step, None)
            for index in range(j1, j2):
                step = new[index]
                owner = self.name("role", str(step.get("owner")))
                summary = f"{ctx.subject}: new step {index + 1} for {owner}: '{_short(str(step.get('do')))}'"
                self.emit(ctx, "added", summary, f"{fpath}[{index + 1}]", None, step)

    def _recovery_compensation(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        olds = {str(c.get("type")): c for c in old or []}
        news = {str(c.get("type")): c for c in new or []}
        currency = views.currency(self.new)
        for kind in [*news, *(k for k in olds if k not in news)]:
            before, after = olds.get(kind), news.get(kind)
            what = _lower_first(self.name("compensation-type", kind))
            where = f"{fpath}[{kind}]"
            if before is None:
                amount = views.money((after or {})["amount"], currency)
                summary = f"{ctx.subject} now offers {what} of {amount}"
                self.emit(ctx, "loosened", summary, where, None, after)
                continue
            if after is None or before is None:
                amount = views.money((before or {})["amount"], currency)
                summary = f"{ctx.subject} no longer offers {what} (was {amount})"
                self.emit(ctx, "tightened", summary, where, before, None)
                continue
            if before.get("amount") != after.get("amount"):
                cls = _direction_class(-1, before.get("amount"), after.get("amount"))
                self.emit(
                    ctx,
                    cls,
                    f"{ctx.subject} changed its offered {what} {views.money(before['amount'], currency)} → "
                    f"{views.money(after['amount'], currency)}",
                    f"{where}.amount",
                    before.get("amount"),
                    after.get("amount"),
                )
            rest_old = {k: v for k, v in before.items() if k != "amount"}
            rest_new = {k: v for k, v in after.items() if k != "amount"}
            sub = _Ctx(ctx.kind, ctx.id, f"{ctx.subject}, {what}")
            self._walk_mapping(sub, rest_old, rest_new, node.get("items", {}), (*spath, "*"), where)

    def _authority_caps(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        olds = {str(c.get("type")): c for c in old or []}
        news = {str(c.get("type")): c for c in new or []}
        currency = views.currency(self.new)
        role = self.name("role", ctx.id)
        for kind in [*news, *(k for k in olds if k not in news)]:
            before, after = olds.get(kind), news.get(kind)
            what = self.name("compensation-type", kind)
            where = f"{fpath}[{kind}]"
            if before is None or after is None:
                cap: dict[str, Any] = after if after is not None else before or {}
                limits = (
                    f"{views.money(cap['per_case'], currency)} per case, "
                    f"{views.money(cap['per_customer'], currency)} per customer"
                )
                if before is None:
                    text = f"{role} may now grant {_lower_first(what)}: up to {limits}"
                else:
                    text = f"{role} may no longer grant {_lower_first(what)} (was up to {limits})"
                self.emit(
                    ctx,
                    "loosened" if before is None else "tightened",
                    text,
                    where,
                    before,
                    after,
                )
                continue
            for key in ("per_case", "per_customer"):
                if before.get(key) != after.get(key):
                    self.emit(
                        ctx,
                        _direction_class(-1, before.get(key), after.get(key)),
                        f"Goodwill cap for {role} ({_lower_first(what)}, {_LABELS[key]}): "
                        f"{views.money(before[key], currency)} → {views.money(after[key], currency)}",
                        f"{where}.{key}",
                        before.get(key),
                        after.get(key),
                    )

    def _raci(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        old, new = old or {}, new or {}
        for role_id in [*new, *(r for r in old if r not in new)]:
            before, after = old.get(role_id), new.get(role_id)
            if before == after:
                continue
            role = self.name("role", role_id)
            said_before, said_after = _raci_words(before), _raci_words(after)
            where = f"{fpath}.{role_id}"
            if before is None:
                self.emit(ctx, "added", f"{ctx.subject}: {role} now {said_after}", where, None, after)
            elif after is None:
                summary = f"{ctx.subject}: {role} no longer involved; was {said_before}"
                self.emit(ctx, "removed", summary, where, before, None)
            else:
                summary = f"{ctx.subject}: {role} {said_before} → {said_after}"
                self.emit(ctx, "changed", summary, where, before, after)

    def _policy_value(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        before = views.policy_values(self.old).get(ctx.id, str(old))
        after = views.policy_values(self.new).get(ctx.id, str(new))
        if before == after:
            return
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
        old_unit = _item_data(self.old, "policy", ctx.id).get("unit")
        new_unit = _item_data(self.new, "policy", ctx.id).get("unit")
        cls = _direction_class(-1, old, new) if numbers and old_unit == new_unit else "changed"
        users = self._policy_users(ctx.id)
        counts = [
            _count(len(users.get("category", ())), "category", "categories"),
            _count(len(users.get("training", ())), "training module", "training modules"),
            _count(len(users.get("form", ())), "form", "forms"),
            _count(len(users.get("recovery", ())), "recovery script", "recovery scripts"),
            _count(len(users.get("cheat-sheet", ())), "cheat sheet", "cheat sheets"),
        ]
        used = ", ".join(c for c in counts if c)
        suffix = f" (used by {used})" if used else ""
        self.emit(ctx, cls, f"{ctx.subject}: {before} → {after}{suffix}", "value", old, new)

    def _policy_users(self, policy_id: str) -> dict[str, set[str]]:
        """Items that quote a policy value or, for training modules, cover it (in either playbook)."""
        users: dict[str, set[str]] = {}
        for playbook in (self.old, self.new):
            for kind, ids in self.usage[id(playbook)].get(policy_id, {}).items():
                users.setdefault(kind, set()).update(ids)
        return users

    def _kpi_target(
        self, ctx: _Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        kpi = _item_data(self.new, "kpi", ctx.id)
        direction = 1 if kpi.get("direction") == "higher-is-better" else -1
        unit = str(kpi.get("unit", ""))
        currency = views.currency(self.new)
        shown = f"{_kpi_value(old, unit, currency)} → {_kpi_value(new, unit, currency)}"
        cls = _direction_class(direction, old, new)
        self.emit(ctx, cls, f"{ctx.subject}: target {shown}", "target", old, new)

    def _matrix(self) -> None:
        old, new = _matrix_cells(self.old), _matrix_cells(self.new)
        for cell in sorted(
            set(old) | set(new),
            key=lambda c: (_rank_of(self.new, "impact", c[0]), _rank_of(self.new, "urgency", c[1]), c),
        ):
            before, after = old.get(cell), new.get(cell)
            if before == after:
                continue
            impact, urgency = self.name("impact", cell[0]), self.name("urgency", cell[1])
            cats = sorted(
                {
                    c.id
                    for p in (self.old, self.new)
                    for c in p.all("category")
                    if (c.data.get("impact"), c.data.get("urgency")) == cell
                }
            )
            who = _list_names([self.name("category", c) for c in cats], "category", "categories")
            suffix = f" ({who})" if who else ""
            where = f"Priority matrix, {impact} impact × {urgency} urgency"
            if before is None:
                text, cls = f"{where}: set to {self.name('priority', str(after))}", "added"
            elif after is None:
                text, cls = f"{where}: removed (was {self.name('priority', before, old=True)})", "removed"
            else:
                old_rank, new_rank = _rank(self.old, before), _rank(self.new, after)
                cls = "tightened" if new_rank < old_rank else "loosened" if new_rank > old_rank else "changed"
                text = f"{where}: {self.name('priority', before, old=True)} → {self.name('priority', after)}"
            ctx = _Ctx("priority-matrix", f"{cell[0]}/{cell[1]}", where)
            self.emit(ctx, cls, text + suffix, "priority", before, after, cats)

    def _settings(self) -> None:
        for file_kind, label in (("playbook", "Playbook settings"), ("authority", "Goodwill rules")):
            old_doc, new_doc = self.old.file(file_kind), self.new.file(file_kind)
            old_data = old_doc.data if old_doc is not None and isinstance(old_doc.data, dict) else {}
            new_data = new_doc.data if new_doc is not None and isinstance(new_doc.data, dict) else {}
            skip = {key for (kind, key) in LISTS if kind == file_kind} | {"limits"} | _META_KEYS
            ctx = _Ctx("settings", file_kind, label)
            self._walk_mapping(
                ctx, _without(old_data, skip), _without(new_data, skip), load_schema(file_kind), (), ""
            )

    # -- who is affected

    def _goodwill_modules(self, role_id: str) -> set[str]:
        """Modules for a role that teach goodwill (cover a form that records compensation);
        every module for the role when none does."""
        audience = [
            t
            for p in (self.old, self.new)
            for t in p.all("training")
            if role_id in t.data.get("audience", [])
        ]
        goodwill = {f.id for p in (self.old, self.new) for f in p.all("form") if _records_compensation(f)}
        narrowed = {t.id for t in audience if goodwill & set(_covers(t, "forms"))}
        return narrowed or {t.id for t in audience}

    def affects(self, kind: str, item_id: str, categories: set[str] | None) -> Affects:
        cats: set[str] = set()
        training: set[str] = set()
        forms: set[str] = set()
        sheets: set[str] = set()
        expand_forms = True
        playbooks = (self.old, self.new)
        if kind == "category":
            cats = {item_id}
        elif categories is not None:
            cats = set(categories)
        elif kind == "sla-policy":
            cats = {c.id for p in playbooks for c in views.used_by(p, "category", "sla_policy", item_id)}
        elif kind in ("impact", "urgency"):
            cats = {c.id for p in playbooks for c in views.used_by(p, "category", kind, item_id)}
        elif kind == "priority":
            cats = {
                c.id
                for p in playbooks
                for c in p.all("category")
                if (pri := views.priority_of(p, c)) is not None and pri.id == item_id
            }
        elif kind == "calendar":
            cats = {
                c.id
                for p in playbooks
                for c in p.all("category")
                if str((_target(p, c.data.get("sla_policy"), _priority_for(p, c.data)) or {}).get("calendar"))
                == item_id
            }
        elif kind == "policy":
            users = self._policy_users(item_id)
            cats = users.get("category", set())
            training |= users.get("training", set())
            forms |= users.get("form", set())
            sheets |= users.get("cheat-sheet", set())
        elif kind == "recovery":
            cats = {
                c.id for p in playbooks for c in views.used_by(p, "category", "recovery_scripts", item_id)
            }
            expand_forms = False
        elif kind == "form":
            forms = {item_id}
            training = {t.id for p in playbooks for t in p.all("training") if item_id in _covers(t, "forms")}
            cats = {
                c.id
                for p in playbooks
                for c in p.all("category")
                if item_id in c.data.get("forms", []) or c.data.get("closure_form") == item_id
            }
            return _affects(training, forms, cats, sheets)
        elif kind == "training":
            training = {item_id}
        elif kind == "qa":
            training = {
                str(t.get("module"))
                for p in playbooks
                if (q := p.get("qa", item_id)) is not None
                for section in q.data.get("sections", [])
                for entry in section.get("items", [])
                for t in entry.get("trains", [])
            }
        elif kind == "authority":
            training = self._goodwill_modules(item_id)
            forms = {f.id for p in playbooks for f in p.all("form") if _records_compensation(f)}
            sheets = {s.id for p in playbooks for s in p.all("cheat-sheet") if s.data.get("role") == item_id}
        elif kind == "activity":
            forms = {f.id for p in playbooks for f in views.used_by(p, "form", "activity", item_id)}
            cats = {
                c.id
                for p in playbooks
                for c in p.all("category")
                if any(s.get("activity") == item_id for s in c.data.get("steps", []))
            }
            expand_forms = False
        elif kind == "channel":
            cats = {c.id for p in playbooks for c in views.used_by(p, "category", "channels", item_id)}
            sheets = {s.id for p in playbooks for s in views.used_by(p, "cheat-sheet", "channels", item_id)}
            return _affects(training, forms, cats, sheets)
        elif kind == "cheat-sheet":
            sheets = {item_id}
        for p in playbooks:
            for cat in cats:
                training.update(t.id for t in views.training_for_category(p, cat))
                sheets.update(s.id for s in p.all("cheat-sheet") if cat in s.data.get("categories", []))
                category = p.get("category", cat)
                if expand_forms and category is not None:
                    forms.update(str(f) for f in category.data.get("forms", []))
                    if category.data.get("closure_form"):
                        forms.add(str(category.data["closure_form"]))
            if kind == "policy":
                training.update(t.id for t in p.all("training") if item_id in _covers(t, "policies"))
        return _affects(training, forms, cats, sheets)


def _without(data: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _item_data(playbook: Playbook, kind: str, item_id: str) -> dict[str, Any]:
    item = playbook.get(kind, item_id)
    return item.data if item is not None else {}


def _affects(training: set[str], forms: set[str], cats: set[str], sheets: set[str]) -> Affects:
    return Affects(tuple(sorted(training)), tuple(sorted(forms)), tuple(sorted(cats)), tuple(sorted(sheets)))


def _records_compensation(form: Item) -> bool:
    return any(
        entry.get("captures") == "compensation"
        for section in form.data.get("sections", [])
        for entry in section.get("fields", [])
    )


def _covers(module: Item, key: str) -> list[str]:
    covers = module.data.get("covers", {})
    return list(covers.get(key, [])) if isinstance(covers, dict) else []


def _data(value: Any) -> dict[str, Any]:
    data = value.data if isinstance(value, Item) else value
    return {k: v for k, v in data.items() if k != "$schema"} if isinstance(data, dict) else {}


def _authority_items(playbook: Playbook) -> dict[str, dict[str, Any]]:
    """Each role's goodwill limits, as a pseudo-item named after the role."""
    doc = playbook.file("authority")
    limits = doc.data.get("limits", []) if doc is not None and isinstance(doc.data, dict) else []
    found: dict[str, dict[str, Any]] = {}
    for entry in limits:
        if isinstance(entry, dict) and isinstance(entry.get("role"), str):
            found[entry["role"]] = entry
    return found


def _matrix_cells(playbook: Playbook) -> dict[tuple[str, str], str]:
    doc = playbook.file("priorities")
    cells = doc.data.get("matrix", []) if doc is not None and isinstance(doc.data, dict) else []
    return {(str(c.get("impact")), str(c.get("urgency"))): str(c.get("priority")) for c in cells}


_SHAPES: dict[str, _Shape] = {}


def _shape(kind: str) -> _Shape:
    """The schema node of one item of ``kind`` and its references, relative to the item."""
    if kind in _SHAPES:
        return _SHAPES[kind]
    prefix: tuple[str, ...] = ()
    if kind in FOLDERS.values():
        file_kind = kind
    elif kind == "authority":
        file_kind, prefix = "authority", ("limits", "*")
    elif kind in ("settings", "priority-matrix"):
        _SHAPES[kind] = _Shape({}, {})
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
    _SHAPES[kind] = _Shape(node, refs)
    return _SHAPES[kind]


def _policy_usage(playbook: Playbook) -> dict[str, dict[str, set[str]]]:
    """policy id → kind → ids of the items whose text quotes it (training: or covers it)."""
    usage: dict[str, dict[str, set[str]]] = {}
    for kind in ("category", "training", "form", "recovery", "cheat-sheet"):
        for item in playbook.all(kind):
            quoted = {ref for text in _strings(item.data) for ref in policy_refs(text)}
            if kind == "training":
                quoted.update(_covers(item, "policies"))
            for policy_id in quoted:
                usage.setdefault(policy_id, {}).setdefault(kind, set()).add(item.id)
    return usage


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _priority_for(playbook: Playbook, data: dict[str, Any]) -> str | None:
    """The priority the matrix gives a category's impact and urgency (as views.priority_of)."""
    return _matrix_cells(playbook).get((str(data.get("impact")), str(data.get("urgency"))))


def _target(playbook: Playbook, policy_id: Any, priority_id: str | None) -> dict[str, Any] | None:
    policy = playbook.get("sla-policy", str(policy_id))
    if policy is None or priority_id is None:
        return None
    for target in policy.data.get("targets", []):
        if target.get("priority") == priority_id:
            return dict(target)
    return None


def _target_words(playbook: Playbook, target: dict[str, Any], key: str) -> str:
    calendar = playbook.get("calendar", str(target.get("calendar")))
    return describe_target(
        str(target.get(key)), str(target.get("clock")), calendar.data if calendar else None
    )


def _compare_target(
    old_pb: Playbook, old: dict[str, Any], new_pb: Playbook, new: dict[str, Any], key: str
) -> tuple[str, str, str] | None:
    """(class, before, after) of one SLA target in words, or None when it reads the same."""
    before, after = _target_words(old_pb, old, key), _target_words(new_pb, new, key)
    if before == after:
        return None
    before, after = _drop_common_suffix(before, after)
    hours = []
    for playbook, target in ((old_pb, old), (new_pb, new)):
        duration = parse_duration(target.get(key))
        calendar = playbook.get("calendar", str(target.get("calendar")))
        clock = str(target.get("clock"))
        hours.append(
            elapsed_hours(duration, clock, calendar.data if calendar else None) if duration else None
        )
    if hours[0] is None or hours[1] is None or abs(hours[0] - hours[1]) < 1e-9:
        return "changed", before, after
    return ("tightened" if hours[1] < hours[0] else "loosened"), before, after


def _drop_common_suffix(before: str, after: str) -> tuple[str, str]:
    """'4 business hours (Mon–Fri …)' → '4 business hours' when both name the same hours."""
    for marker in (" (", ", "):
        if marker in before and marker in after:
            head_b, _, tail_b = before.partition(marker)
            head_a, _, tail_a = after.partition(marker)
            if tail_b == tail_a and head_b != head_a:
                return head_b, head_a
    return before, after


def _rank(playbook: Playbook, priority_id: str | None) -> int:
    return _rank_of(playbook, "priority", priority_id)


def _rank_of(playbook: Playbook, kind: str, item_id: str | None) -> int:
    item = playbook.get(kind, str(item_id))
    rank = item.data.get("rank") if item is not None else None
    return int(rank) if isinstance(rank, int) else 99


def _priority_label(item: Item | None, item_id: str) -> str:
    name = item.name if item is not None else ""
    if re.fullmatch(r"p\d+", item_id):
        return f"{item_id.upper()} {name}".strip() if name.upper() != item_id.upper() else item_id.upper()
    return name or item_id


def _direction_class(direction: int | None, old: Any, new: Any) -> str:
    if direction is None:
        return "changed"
    if isinstance(old, bool) or isinstance(new, bool):
        old_n, new_n = float(bool(old)), float(bool(new))
    elif isinstance(old, (int, float)) and isinstance(new, (int, float)):
        old_n, new_n = float(old), float(new)
    else:
        old_d, new_d = parse_duration(old), parse_duration(new)
        if old_d is None or new_d is None:
            return "changed"
        old_n, new_n = old_d.total_seconds(), new_d.total_seconds()
    if old_n == new_n:
        return "changed"
    return "tightened" if (new_n > old_n) == (direction > 0) else "loosened"


_RACI = {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}


def _raci_words(letters: Any) -> str | None:
    """'C' → 'C (consulted)'; 'A/R' → 'A/R (accountable, responsible)'."""
    if not isinstance(letters, str):
        return None
    words = [_RACI[ch] for ch in letters if ch in _RACI]
    return f"{letters} ({', '.join(words)})" if words else letters


def _kpi_value(value: Any, unit: str, currency: str) -> str:
    if not isinstance(value, (int, float)):
        return str(value)
    if unit == "percent":
        return f"{value:g}%"
    if unit == "currency":
        return views.money(value, currency)
    if unit in ("seconds", "minutes", "hours", "days"):
        return f"{value:g} {unit[:-1] if value == 1 else unit}"
    return f"{value:g}"


def _norm(spath: tuple[str, ...]) -> str:
    return ".".join(spath)


def _join(fpath: str, key: str) -> str:
    return f"{fpath}.{key}" if fpath else key


def _label(spath: tuple[str, ...]) -> str:
    if _norm(spath) in _LABELS:
        return _LABELS[_norm(spath)]
    key = next((s for s in reversed(spath) if s not in ("*", "**")), "")
    return _LABELS.get(key, key.replace("_", " "))


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].islower():
        return text[:1].lower() + text[1:]
    return text


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}" if count else ""


def _list_names(names: list[str], one: str, many: str, limit: int = 3) -> str:
    if not names:
        return ""
    return ", ".join(names) if len(names) <= limit else _count(len(names), one, many)


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


# --- reports ---------------------------------------------------------------------------------


def render(changelog: Changelog, fmt: str) -> str:
    """The changelog as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps([c.as_dict() for c in changelog.changes], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(changelog)
    return render_text(changelog)


def _counts_line(changelog: Changelog) -> str:
    total = len(changelog.changes)
    counts = ", ".join(f"{n} {c}" for c, n in changelog.counts().items())
    return f"{total} change{'s' * (total != 1)}: {counts}" if total else "No policy changes."


def _grouped(changelog: Changelog) -> Iterator[tuple[str, list[Change]]]:
    for kind, heading in GROUPS.items():
        changes = [c for c in changelog.changes if c.kind == kind]
        if changes:
            yield heading, changes


def _doc_name(changelog: Changelog, kind: str, item_id: str) -> str:
    return {
        "form": "Form",
        "cheat-sheet": "Cheat sheet",
        "qa": "QA scorecard",
        "training": "Training module",
    }[kind] + f" {changelog.name(kind, item_id)}"


def render_text(changelog: Changelog) -> str:
    """The changelog for a terminal."""
    lines = [
        f"Playbook changes: {changelog.old.describe()} → {changelog.new.describe()}",
        _counts_line(changelog),
    ]
    for heading, changes in _grouped(changelog):
        lines += ["", heading]
        for change in changes:
            lines.append(f"  {change.cls:<10} {change.summary}")
            if change.affects.training:
                modules = ", ".join(changelog.name("training", t) for t in change.affects.training)
                lines.append(f"  {'':<10} retrain: {modules}")
    retrain, reprint = changelog.retrain(), changelog.reprint()
    if retrain:
        lines += ["", "Retrain"]
        for module, changes in retrain:
            count = len(changes)
            lines.append(
                f"  {changelog.name('training', module)} ({module}): {count} change{'s' * (count != 1)}"
            )
    if reprint:
        lines += ["", "Reprint"]
        lines += [f"  {_doc_name(changelog, kind, item_id)} ({item_id})" for kind, item_id in reprint]
    return "\n".join(lines) + "\n"


def render_markdown(changelog: Changelog, *, heading_level: int = 2, title: str | None = None) -> str:
    """The changelog as Markdown: fit for a pull-request comment and for a site page (every
    piece of playbook text is escaped). ``heading_level`` is the level of the top heading."""
    h = "#" * heading_level
    sub = "#" * (heading_level + 1)
    old, new = changelog.old, changelog.new
    if title is None:
        same = old.version == new.version
        before = old.label if same or not old.version else old.version
        after = new.label if same or not new.version else new.version
        title = f"Playbook changes: {before} → {after}"
    lines = [
        f"{h} {inline(title)}",
        "",
        f"Comparing {inline(old.describe())} with {inline(new.describe())}.",
        "",
        f"**{_counts_line(changelog)}**" if changelog.changes else _counts_line(changelog),
    ]
    for heading, changes in _grouped(changelog):
        lines += ["", f"{sub} {heading}", "", "| Change | Class | Retrain |", "|---|---|---|"]
        for change in changes:
            training = ", ".join(changelog.name("training", t) for t in change.affects.training)
            lines.append(f"| {inline(change.summary)} | {change.cls} | {inline(training) or '—'} |")
    retrain, reprint = changelog.retrain(), changelog.reprint()
    if retrain:
        lines += ["", f"{sub} Retrain", ""]
        for module, changes in retrain:
            count = len(changes)
            lines.append(
                f"- **{inline(changelog.name('training', module))}** (`{module}`): "
                f"{count} change{'s' * (count != 1)}"
            )
            lines += [f"    - {inline(c.summary)}" for c in changes]
    if reprint:
        lines += ["", f"{sub} Reprint", ""]
        lines += [f"- {inline(_doc_name(changelog, kind, i))} (`{i}`)" for kind, i in reprint]
    return "\n".join(lines) + "\n"


# --- what's new and the changelog page -------------------------------------------------------


def previous_changelog(
    playbook_root: Path, *, current: Playbook | None = None
) -> tuple[Changelog | None, str]:
    """The changes since the version named by ``previous`` in playbook.yaml, or None and the
    reason there are none to show. A folder in ``previous`` is relative to the playbook."""
    if current is None:
        current, problems = load_playbook(playbook_root)
        if has_errors(problems):
            return None, "the playbook has errors; run playbookgen check"
    previous = current.settings.get("previous")
    if not isinstance(previous, str) or not previous:
        return None, "playbook.yaml names no previous version (set previous: git:TAG)"
    spec = previous if is_revision(previous) else str(playbook_root / previous)
    try:
        key = identity(spec, playbook_root)
        old = _PREVIOUS.get(key) if key is not None else None
        if old is None:
            with playbook_at(spec, playbook_root) as old_root:
                old = _load(old_root, previous)
            _PREVIOUS.clear()
            if key is not None:
                _PREVIOUS[key] = old
    except RevisionError as exc:
        return None, f"the previous version {previous} cannot be read: {exc}"
    except DiffError as exc:
        return None, f"the previous version {previous} cannot be compared: {exc}"
    return compare(old, current, old_label=previous, new_label="this version"), ""


_PREVIOUS: dict[str, Playbook] = {}
"""The last previous version read from git, by :func:`revisions.identity`: ``serve`` rebuilds
on every change and a commit never changes."""


def whats_new(playbook_root: Path, *, current: Playbook | None = None) -> Changelog | None:
    """The changes since the previous version, or None when there is none to compare with
    (no ``previous`` in playbook.yaml, or it cannot be read; see :func:`previous_changelog`)."""
    return previous_changelog(playbook_root, current=current)[0]


def whats_new_markdown(
    playbook_root: Path, *, current: Playbook | None = None, heading_level: int = 1
) -> str:
    """The "What's new" section: the changelog since the previous version under a heading,
    or a sentence saying why there is none."""
    changelog, reason = previous_changelog(playbook_root, current=current)
    if changelog is not None:
        since = changelog.old.version or changelog.old.label
        return render_markdown(changelog, heading_level=heading_level, title=f"What's new since {since}")
    return f"No comparison with an earlier version: {inline(reason)}.\n"
