"""The parts of the comparison that need more than the schema: SLA targets per priority, a
category's priority and SLA, escalation paths, handling steps, offered compensation,
goodwill caps, RACI letters, policy values, KPI targets, the priority matrix and the
playbook-wide settings."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playbookgen import kinds, views
from playbookgen.diff.changes import Ctx
from playbookgen.diff.facts import (
    compare_target,
    direction_class,
    is_subsequence,
    item_data,
    matrix_cells,
    priority_for,
    priority_rank,
    rank_of,
    sla_target,
    target_words,
    without,
)
from playbookgen.diff.shape import ignored_keys
from playbookgen.diff.words import (
    LABELS,
    SETTINGS_LABELS,
    SLA_FIELDS,
    count_of,
    list_names,
    lower_first,
    raci_words,
    shorten,
)
from playbookgen.schema import load_schema
from playbookgen.views.typed import PlaybookView

if TYPE_CHECKING:
    from playbookgen.diff.compare import Comparison

Handler = Callable[["Comparison", Ctx, Any, Any, dict[str, Any], tuple[str, ...], str], None]


def compared_elsewhere(*_: Any) -> None:
    """Compared elsewhere (a category's SLA, a policy's unit with its value)."""


def category_sla(cmp: Comparison, ctx: Ctx, old: dict[str, Any], new: dict[str, Any]) -> None:
    """A category's own priority and SLA targets, when the category itself moved them."""
    if all(old.get(k) == new.get(k) for k in ("impact", "urgency", "sla_policy")):
        return
    name = ctx.name
    old_pri, new_pri = priority_for(cmp.old, old), priority_for(cmp.new, new)
    causes = []
    for key, kind in (("impact", "impact"), ("urgency", "urgency"), ("sla_policy", "sla-policy")):
        if old.get(key) != new.get(key):
            causes.append(
                cmp.words._(
                    "%(label)s %(old)s → %(new)s",
                    label=cmp.words._(LABELS.get(key, key)),
                    old=cmp.name(kind, str(old.get(key)), old=True),
                    new=cmp.name(kind, str(new.get(key))),
                )
            )
    cause = "; ".join(causes)
    emitted = False
    if old_pri != new_pri:
        old_rank, new_rank = priority_rank(cmp.old, old_pri), priority_rank(cmp.new, new_pri)
        cls = "tightened" if new_rank < old_rank else "loosened" if new_rank > old_rank else "changed"
        cmp.emit(
            ctx,
            cls,
            cmp.words._(
                "%(name)s: priority %(old)s → %(new)s (%(cause)s)",
                name=name,
                old=cmp.name("priority", str(old_pri), old=True),
                new=cmp.name("priority", str(new_pri)),
                cause=cause,
            ),
            "priority",
            old_pri,
            new_pri,
        )
        emitted = True
    old_target = sla_target(cmp.old, old.get("sla_policy"), old_pri)
    new_target = sla_target(cmp.new, new.get("sla_policy"), new_pri)
    if old_target is not None and new_target is not None:
        for key, label in SLA_FIELDS:
            found = compare_target(cmp.old, old_target, cmp.new, new_target, key, cmp.words)
            if found is None:
                continue
            cls, before, after = found
            cmp.emit(
                ctx,
                cls,
                cmp.words._(
                    "%(name)s, priority %(priority)s: %(target)s %(old)s → %(new)s (%(cause)s)",
                    name=name,
                    priority=cmp.name("priority", str(new_pri)),
                    target=cmp.words._(label),
                    old=before,
                    new=after,
                    cause=cause,
                ),
                f"sla.{key}",
                old_target.get(key),
                new_target.get(key),
                shown=(before, after),
            )
            emitted = True
    if not emitted:
        summary = cmp.words._("%(name)s: %(cause)s (same priority and SLA targets)", name=name, cause=cause)
        cmp.emit(
            ctx,
            "changed",
            summary,
            ",".join(k for k in ("impact", "urgency", "sla_policy") if old.get(k) != new.get(k)),
            {k: old.get(k) for k in ("impact", "urgency", "sla_policy")},
            {k: new.get(k) for k in ("impact", "urgency", "sla_policy")},
        )


def sla_targets(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """An SLA policy's targets, priority by priority, naming the categories they apply to."""
    olds = {str(t.get("priority")): t for t in old or [] if isinstance(t, dict)}
    news = {str(t.get("priority")): t for t in new or [] if isinstance(t, dict)}
    order = sorted(set(olds) | set(news), key=lambda p: (priority_rank(cmp.new, p), p))
    for priority in order:
        before, after = olds.get(priority), news.get(priority)
        cats = categories_on(cmp, ctx.id, priority)
        who = list_names([cmp.name("category", c) for c in cats], "category", cmp.words)
        where = cmp.words._(
            "%(subject)s, priority %(priority)s", subject=ctx.subject, priority=cmp.name("priority", priority)
        )
        suffix = f" ({who})" if who else ""
        if before is None or after is None:
            target: dict[str, Any] = after if after is not None else before or {}
            playbook = cmp.new if before is None else cmp.old
            words = ", ".join(
                f"{cmp.words._(label)} {target_words(playbook, target, key, cmp.words)}"
                for key, label in SLA_FIELDS
            )
            cls = "added" if before is None else "removed"
            if before is None:
                text = cmp.words._("new targets: %(targets)s", targets=words)
            else:
                text = cmp.words._("targets removed (were %(targets)s)", targets=words)
            summary = f"{where}: {text}{suffix}"
            cmp.emit(ctx, cls, summary, f"targets[{priority}]", before, after, cats)
            continue
        for key, label in SLA_FIELDS:
            found = compare_target(cmp.old, before, cmp.new, after, key, cmp.words)
            if found is not None:
                cls, text_before, text_after = found
                summary = f"{where}: {cmp.words._(label)} {text_before} → {text_after}{suffix}"
                cmp.emit(
                    ctx,
                    cls,
                    summary,
                    f"targets[{priority}].{key}",
                    before.get(key),
                    after.get(key),
                    cats,
                    shown=(text_before, text_after),
                )


def categories_on(cmp: Comparison, policy_id: str, priority_id: str) -> list[str]:
    """Categories that follow an SLA policy at a priority, in either playbook."""
    found = set()
    for playbook in (cmp.old, cmp.new):
        for category in playbook.all("category"):
            pri = views.priority_of(playbook, category)
            if category.data.get("sla_policy") == policy_id and pri is not None and pri.id == priority_id:
                found.add(category.id)
    return sorted(found)


def escalation_path(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """A category's escalation path: another order of roles, or reworded triggers. A step
    with several roles counts as 'a+b', a branched step as 'a/b' (its branches' roles)."""
    old, new = old or [], new or []
    old_roles = [_step_key(s) for s in old]
    new_roles = [_step_key(s) for s in new]
    if old_roles != new_roles:
        if len(new_roles) > len(old_roles) and is_subsequence(old_roles, new_roles):
            cls = "added"
        elif len(new_roles) < len(old_roles) and is_subsequence(new_roles, old_roles):
            cls = "removed"
        else:
            cls = "changed"
        path, was = role_path(cmp, new_roles), role_path(cmp, old_roles, old=True)
        summary = cmp.words._(
            "%(subject)s: escalation path %(path)s (was %(was)s)", subject=ctx.subject, path=path, was=was
        )
        cmp.emit(ctx, cls, summary, fpath, old_roles, new_roles)
        return
    for index, (before, after) in enumerate(zip(old, new, strict=True)):
        if before == after:
            continue
        role = _step_names(cmp, _step_key(after))
        if before.get("when") != after.get("when"):
            summary = cmp.words._(
                "%(subject)s: when to escalate to %(role)s reworded", subject=ctx.subject, role=role
            )
            cmp.emit(
                ctx, "reworded", summary, f"{fpath}[{index + 1}].when", before.get("when"), after.get("when")
            )
        else:
            summary = cmp.words._(
                "%(subject)s: the branches to %(role)s reworded", subject=ctx.subject, role=role
            )
            conditions = [[b.get("if") for b in s.get("branches", [])] for s in (before, after)]
            cmp.emit(ctx, "reworded", summary, f"{fpath}[{index + 1}].branches", *conditions)


def _step_key(step: dict[str, Any]) -> str:
    if step.get("branches"):
        return "/".join(str(b.get("role")) for b in step["branches"])
    if step.get("roles"):
        return "+".join(str(r) for r in step["roles"])
    return str(step.get("role"))


def _step_names(cmp: Comparison, key: str, *, old: bool = False) -> str:
    if "/" in key:
        return " / ".join(cmp.name("role", r, old=old) for r in key.split("/"))
    return cmp.words.join([cmp.name("role", r, old=old) for r in key.split("+")], alternatives=True)


def role_path(cmp: Comparison, roles: list[str], *, old: bool = False) -> str:
    """Roles as an escalation path: ``Agent → Lead``."""
    return " → ".join(_step_names(cmp, r, old=old) for r in roles) or cmp.words._("none")


def category_steps(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """A category's handling steps, matched by what they say so an insertion is one change."""
    old, new = old or [], new or []
    child = node.get("items", {})
    matcher = difflib.SequenceMatcher(
        a=[str(s.get("do")) for s in old], b=[str(s.get("do")) for s in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(i2 - i1):
                said = cmp.words._(
                    "%(subject)s, step %(number)s", subject=ctx.subject, number=j1 + offset + 1
                )
                sub = Ctx(ctx.kind, ctx.id, said)
                where = f"{fpath}[{j1 + offset + 1}]"
                cmp.walk(sub, old[i1 + offset], new[j1 + offset], child, (*spath, "*"), where)
            continue
        for index in range(i1, i2):
            step = old[index]
            summary = cmp.words._(
                "%(subject)s: step '%(do)s' removed", subject=ctx.subject, do=shorten(str(step.get("do")))
            )
            cmp.emit(ctx, "removed", summary, f"{fpath}[{index + 1}]", step, None)
        for index in range(j1, j2):
            step = new[index]
            owner = cmp.name("role", str(step.get("owner")))
            summary = cmp.words._(
                "%(subject)s: new step %(number)s for %(owner)s: '%(do)s'",
                subject=ctx.subject,
                number=index + 1,
                owner=owner,
                do=shorten(str(step.get("do"))),
            )
            cmp.emit(ctx, "added", summary, f"{fpath}[{index + 1}]", None, step)


def recovery_compensation(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """What a recovery script offers: more to offer is loosened, less is tightened."""
    olds = {str(c.get("type")): c for c in old or []}
    news = {str(c.get("type")): c for c in new or []}
    for kind in [*news, *(k for k in olds if k not in news)]:
        before, after = olds.get(kind), news.get(kind)
        what = lower_first(cmp.name("compensation-type", kind))
        where = f"{fpath}[{kind}]"
        if before is None:
            amount = cmp.words.money((after or {})["amount"])
            summary = cmp.words._(
                "%(subject)s now offers %(what)s of %(amount)s", subject=ctx.subject, what=what, amount=amount
            )
            cmp.emit(ctx, "loosened", summary, where, None, after)
            continue
        if after is None or before is None:
            amount = cmp.words.money((before or {})["amount"])
            summary = cmp.words._(
                "%(subject)s no longer offers %(what)s (was %(amount)s)",
                subject=ctx.subject,
                what=what,
                amount=amount,
            )
            cmp.emit(ctx, "tightened", summary, where, before, None)
            continue
        if before.get("amount") != after.get("amount"):
            tighter = cmp.shape_of(ctx).tighter.get((*spath, "*", "amount"))
            cls = direction_class(tighter, before.get("amount"), after.get("amount"))
            cmp.emit(
                ctx,
                cls,
                cmp.words._(
                    "%(subject)s changed its offered %(what)s %(old)s → %(new)s",
                    subject=ctx.subject,
                    what=what,
                    old=cmp.words.money(before["amount"]),
                    new=cmp.words.money(after["amount"]),
                ),
                f"{where}.amount",
                before.get("amount"),
                after.get("amount"),
            )
        rest_old = {k: v for k, v in before.items() if k != "amount"}
        rest_new = {k: v for k, v in after.items() if k != "amount"}
        sub = Ctx(ctx.kind, ctx.id, cmp.words._("%(subject)s, %(what)s", subject=ctx.subject, what=what))
        cmp.walk_mapping(sub, rest_old, rest_new, node.get("items", {}), (*spath, "*"), where)


def authority_caps(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """A role's goodwill caps per compensation type, as money."""
    olds = {str(c.get("type")): c for c in old or []}
    news = {str(c.get("type")): c for c in new or []}
    role = cmp.name("role", ctx.id)
    for kind in [*news, *(k for k in olds if k not in news)]:
        before, after = olds.get(kind), news.get(kind)
        what = cmp.name("compensation-type", kind)
        where = f"{fpath}[{kind}]"
        if before is None or after is None:
            cap: dict[str, Any] = after if after is not None else before or {}
            limits = cmp.words._(
                "%(case)s per case, %(customer)s per customer",
                case=cmp.words.money(cap["per_case"]),
                customer=cmp.words.money(cap["per_customer"]),
            )
            if before is None:
                text = cmp.words._(
                    "%(role)s may now grant %(what)s: up to %(limits)s",
                    role=role,
                    what=lower_first(what),
                    limits=limits,
                )
            else:
                text = cmp.words._(
                    "%(role)s may no longer grant %(what)s (was up to %(limits)s)",
                    role=role,
                    what=lower_first(what),
                    limits=limits,
                )
            cmp.emit(
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
                cmp.emit(
                    ctx,
                    direction_class(
                        cmp.shape_of(ctx).tighter.get((*spath, "*", key)), before.get(key), after.get(key)
                    ),
                    cmp.words._(
                        "Goodwill cap for %(role)s (%(what)s, %(limit)s): %(before)s → %(after)s",
                        role=role,
                        what=lower_first(what),
                        limit=cmp.words._(LABELS[key]),
                        before=cmp.words.money(before[key]),
                        after=cmp.words.money(after[key]),
                    ),
                    f"{where}.{key}",
                    before.get(key),
                    after.get(key),
                    shown=(cmp.words.money(before[key]), cmp.words.money(after[key])),
                )


def raci(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """An activity's RACI letters, role by role."""
    old, new = old or {}, new or {}
    for role_id in [*new, *(r for r in old if r not in new)]:
        before, after = old.get(role_id), new.get(role_id)
        if before == after:
            continue
        role = cmp.name("role", role_id)
        said_before, said_after = raci_words(before, cmp.words), raci_words(after, cmp.words)
        where = f"{fpath}.{role_id}"
        if before is None:
            summary = cmp.words._(
                "%(subject)s: %(role)s now %(letters)s", subject=ctx.subject, role=role, letters=said_after
            )
            cmp.emit(ctx, "added", summary, where, None, after)
        elif after is None:
            summary = cmp.words._(
                "%(subject)s: %(role)s no longer involved; was %(letters)s",
                subject=ctx.subject,
                role=role,
                letters=said_before,
            )
            cmp.emit(ctx, "removed", summary, where, before, None)
        else:
            summary = cmp.words._(
                "%(subject)s: %(role)s %(old)s → %(new)s",
                subject=ctx.subject,
                role=role,
                old=said_before,
                new=said_after,
            )
            cmp.emit(ctx, "changed", summary, where, before, after, shown=(str(said_before), str(said_after)))


def policy_value(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """A policy value as readers see it, with how many items quote it."""
    before = PlaybookView(cmp.old, cmp.words).policy_values.get(ctx.id, str(old))
    after = PlaybookView(cmp.new, cmp.words).policy_values.get(ctx.id, str(new))
    if before == after:
        return
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    old_unit = item_data(cmp.old, "policy", ctx.id).get("unit")
    new_unit = item_data(cmp.new, "policy", ctx.id).get("unit")
    tighter = cmp.shape_of(ctx).tighter.get(spath)
    cls = direction_class(tighter, old, new) if numbers and old_unit == new_unit else "changed"
    users = cmp.affected.policy_users(ctx.id)
    counts = (
        count_of(len(users.get(kind, ())), kind, cmp.words)
        for kind in ("category", "training", "form", "recovery", "cheat-sheet")
    )
    used = ", ".join(c for c in counts if c)
    summary = cmp.words._("%(subject)s: %(old)s → %(new)s", subject=ctx.subject, old=before, new=after)
    if used:
        summary = cmp.words._("%(summary)s (used by %(users)s)", summary=summary, users=used)
    cmp.emit(ctx, cls, summary, "value", old, new, shown=(before, after))


def kpi_target(
    cmp: Comparison, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
) -> None:
    """A KPI target, tightened or loosened by the KPI's own direction."""
    kpi = item_data(cmp.new, "kpi", ctx.id)
    direction = 1 if kpi.get("direction") == "higher-is-better" else -1
    unit = str(kpi.get("unit", ""))
    cls = direction_class(direction, old, new)
    summary = cmp.words._(
        "%(subject)s: target %(old)s → %(new)s",
        subject=ctx.subject,
        old=cmp.words.measure(old, unit),
        new=cmp.words.measure(new, unit),
    )
    cmp.emit(ctx, cls, summary, "target", old, new)


def matrix(cmp: Comparison) -> None:
    """The priority matrix, cell by cell, naming the categories in each cell."""
    old, new = matrix_cells(cmp.old), matrix_cells(cmp.new)
    for cell in sorted(
        set(old) | set(new),
        key=lambda c: (rank_of(cmp.new, "impact", c[0]), rank_of(cmp.new, "urgency", c[1]), c),
    ):
        before, after = old.get(cell), new.get(cell)
        if before == after:
            continue
        impact, urgency = cmp.name("impact", cell[0]), cmp.name("urgency", cell[1])
        cats = sorted(
            {
                c.id
                for p in (cmp.old, cmp.new)
                for c in p.all("category")
                if (c.data.get("impact"), c.data.get("urgency")) == cell
            }
        )
        who = list_names([cmp.name("category", c) for c in cats], "category", cmp.words)
        suffix = f" ({who})" if who else ""
        where = cmp.words._(
            "Priority matrix, %(impact)s impact × %(urgency)s urgency", impact=impact, urgency=urgency
        )
        if before is None:
            text = cmp.words._("%(cell)s: set to %(new)s", cell=where, new=cmp.name("priority", str(after)))
            cls = "added"
        elif after is None:
            was = cmp.name("priority", before, old=True)
            text, cls = cmp.words._("%(cell)s: removed (was %(old)s)", cell=where, old=was), "removed"
        else:
            old_rank, new_rank = priority_rank(cmp.old, before), priority_rank(cmp.new, after)
            cls = "tightened" if new_rank < old_rank else "loosened" if new_rank > old_rank else "changed"
            text = cmp.words._(
                "%(cell)s: %(old)s → %(new)s",
                cell=where,
                old=cmp.name("priority", before, old=True),
                new=cmp.name("priority", after),
            )
        ctx = Ctx("priority-matrix", f"{cell[0]}/{cell[1]}", where)
        cmp.emit(ctx, cls, text + suffix, "priority", before, after, cats)


def settings(cmp: Comparison) -> None:
    """The settings of files with some (keys outside their lists, except version keys)."""
    for file_kind, label in SETTINGS_LABELS.items():
        old_doc, new_doc = cmp.old.file(file_kind), cmp.new.file(file_kind)
        old_data = old_doc.data if old_doc is not None and isinstance(old_doc.data, dict) else {}
        new_data = new_doc.data if new_doc is not None and isinstance(new_doc.data, dict) else {}
        skip = {lst.key for lst in kinds.source(file_kind).lists} | ignored_keys(file_kind) | {"$schema"}
        ctx = Ctx("settings", file_kind, cmp.words._(label))
        cmp.walk_mapping(
            ctx, without(old_data, skip), without(new_data, skip), load_schema(file_kind), (), ""
        )


# Parts of an item compared by their own function rather than by the schema-led walk.
HANDLERS: dict[tuple[str, tuple[str, ...]], Handler] = {
    ("sla-policy", ("targets",)): sla_targets,
    ("category", ("escalation_path",)): escalation_path,
    ("category", ("steps",)): category_steps,
    ("recovery", ("compensation",)): recovery_compensation,
    ("authority", ("caps",)): authority_caps,
    ("activity", ("assignments",)): raci,
    ("policy", ("value",)): policy_value,
    ("policy", ("unit",)): compared_elsewhere,
    ("kpi", ("target",)): kpi_target,
    ("category", ("impact",)): compared_elsewhere,
    ("category", ("urgency",)): compared_elsewhere,
    ("category", ("sla_policy",)): compared_elsewhere,
}
