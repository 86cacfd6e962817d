"""The semantic comparison: two models walked side by side, led by the schema, each
difference turned into a classed :class:`Change` in words."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from playbookgen import kinds
from playbookgen.diff.affects import Affected
from playbookgen.diff.changes import Change, Changelog, Ctx, Side
from playbookgen.diff.facts import direction_class, fields_of, join_path, keyed_entries
from playbookgen.diff.shape import Shape, file_shape, shape
from playbookgen.diff.special import HANDLERS, category_sla, matrix, settings
from playbookgen.diff.translations import translation_changes
from playbookgen.diff.words import (
    capitalised,
    entry_name,
    groups,
    kind_name,
    label_of,
    priority_label,
    shorten,
    subject,
)
from playbookgen.durations import parse_duration
from playbookgen.model import Playbook
from playbookgen.translations import in_language, languages
from playbookgen.wording import Wording


def compare(
    old: Playbook,
    new: Playbook,
    *,
    old_label: str = "old",
    new_label: str = "new",
    words: Wording | None = None,
) -> Changelog:
    """Every change from ``old`` to ``new``, worded in ``words``' language (by default the new
    playbook's). In another language than the playbook's own, items are named as that
    language's translation names them; what changed is still read off the source texts."""
    named = (old, new) if words is None else (named_in(old, words), named_in(new, words))
    comparison = Comparison(old, new, words, named)
    changes = comparison.affected.shown(comparison.run())
    names: dict[str, dict[str, str]] = {}
    for playbook in named:
        for kind, items in playbook.items.items():
            names.setdefault(kind, {}).update({i: item.name for i, item in items.items()})
    translations = translation_changes(old, new)
    return Changelog(
        side_of(old, old_label),
        side_of(new, new_label),
        changes,
        names,
        words=comparison.words,
        translations=translations,
        sources=(old, new),
    )


def named_in(playbook: Playbook, words: Wording) -> Playbook:
    """The playbook as readers in ``words``' language name its items: translated when the
    playbook has that language (a name without a translation stays the source's), else itself."""
    source, others = languages(playbook.settings)
    language = next((lang for lang in others if lang.code == words.language), None)
    if language is None or source.code == words.language:
        return playbook
    return in_language(playbook, language)


def side_of(playbook: Playbook, label: str) -> Side:
    """One side of the comparison: its label, version and effective date."""
    values = playbook.settings
    version, effective = values.get("version"), values.get("effective_date")
    return Side(label, str(version) if version else None, str(effective) if effective else None)


class Comparison:
    """One comparison of two playbooks, gathering changes as it walks them."""

    def __init__(
        self,
        old: Playbook,
        new: Playbook,
        words: Wording | None = None,
        named: tuple[Playbook, Playbook] | None = None,
    ) -> None:
        self.old, self.new = old, new
        self.named = named or (old, new)
        """The playbooks whose names name items (translated for a reader of another language)."""
        self.words = words if words is not None else Wording.of(new.settings)
        """Amounts, numbers and durations as the playbook's readers write them ('50.000 ₫')."""
        self.changes: list[Change] = []
        self.affected = Affected(old, new)

    # -- driving

    def run(self) -> list[Change]:
        """Every change, group by group in report order."""
        for kind in groups():
            item = kinds.item_kind(kind)
            if kind == "priority-matrix":
                matrix(self)
            elif kind == "settings":
                settings(self)
            elif item is not None and item.match != "id":
                self._items(kind, keyed_entries(self.old, kind), keyed_entries(self.new, kind))
            else:
                self._items(kind, self.old.items.get(kind, {}), self.new.items.get(kind, {}))
        return self.changes

    def _items(self, kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Compare every item of one kind: added, removed, or walked field by field."""
        item_shape = shape(kind)
        for item_id in sorted(set(old) | set(new)):
            before, after = old.get(item_id), new.get(item_id)
            name = self.name(self._named_by(kind), item_id)
            if before is None:
                summary = self.words._("New %(kind)s: %(name)s", kind=kind_name(kind, self.words), name=name)
                self.emit(Ctx(kind, item_id, name), "added", summary, "", None, name)
                continue
            if after is None:
                kind_words = capitalised(kind_name(kind, self.words))
                summary = self.words._("%(kind)s removed: %(name)s", kind=kind_words, name=name)
                self.emit(Ctx(kind, item_id, name), "removed", summary, "", name, None)
                continue
            old_data, new_data = fields_of(before), fields_of(after)
            if old_data == new_data:
                continue
            ctx = Ctx(kind, item_id, subject(kind, name, self.words), name)
            if kind == "category":
                category_sla(self, ctx, old_data, new_data)
            self.walk(ctx, old_data, new_data, item_shape.node, (), "")

    def _named_by(self, kind: str) -> str:
        """The kind whose names name items of ``kind``: its own, or for entries matched by a
        reference (goodwill limits by role) the kind referred to."""
        item = kinds.item_kind(kind)
        if item is None or item.match == "id":
            return kind
        return shape(kind).refs.get((item.match,), kind)

    def _reworded(self, ctx: Ctx, label: str) -> str:
        return self.words._("%(subject)s: %(label)s reworded", subject=ctx.subject, label=label)

    def emit(
        self,
        ctx: Ctx,
        cls: str,
        summary: str,
        field: str,
        before: Any,
        after: Any,
        categories: Iterable[str] | None = None,
        *,
        shown: tuple[str, str] | None = None,
    ) -> None:
        """Record a change to the item ``ctx`` is about (``categories``: the ones it applies to,
        when not all of the item's; ``shown``: the old and new value as the summary words them)."""
        affects = self.affected.of(ctx.kind, ctx.id, set(categories) if categories is not None else None)
        self.changes.append(Change(ctx.kind, ctx.id, cls, summary, field, before, after, affects, shown))

    # -- the generic walk, led by the schema

    def walk(
        self, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        """Compare two values at one place in an item, by a handler for that place or by their shape.
        Parts the schema marks ``x-diff: ignore`` (an item's review dates) are no policy change."""
        if old == new or node.get("x-diff") == "ignore":
            return
        if old is None and isinstance(new, (list, dict)):
            old = type(new)()
        if new is None and isinstance(old, (list, dict)):
            new = type(old)()
        handler = HANDLERS.get((ctx.kind, spath))
        if handler is not None:
            handler(self, ctx, old, new, node, spath, fpath)
            return
        if isinstance(old, dict) and isinstance(new, dict):
            self.walk_mapping(ctx, old, new, node, spath, fpath)
        elif isinstance(old, list) and isinstance(new, list):
            self._walk_list(ctx, old, new, node, spath, fpath)
        else:
            self._scalar(ctx, old, new, node, spath, fpath)

    def walk_mapping(
        self,
        ctx: Ctx,
        old: dict[str, Any],
        new: dict[str, Any],
        node: dict[str, Any],
        spath: tuple[str, ...],
        fpath: str,
    ) -> None:
        """Compare two mappings key by key, in schema order, then keys the schema does not name."""
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
            self.walk(ctx, old.get(key), new.get(key), child, (*spath, segment), join_path(fpath, key))

    def _walk_list(
        self,
        ctx: Ctx,
        old: list[Any],
        new: list[Any],
        node: dict[str, Any],
        spath: tuple[str, ...],
        fpath: str,
    ) -> None:
        """Compare two lists: entries matched by key or position, or references and choices as sets."""
        child = node.get("items", {}) if isinstance(node.get("items"), dict) else {}
        label = label_of(spath, self.words)
        if all(isinstance(v, dict) for v in (*old, *new)):
            key = self.shape_of(ctx).match.get(spath)
            if key is None and all("id" in v for v in (*old, *new)):
                key = "id"
            entry = entry_name(spath, self.words)
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
                    summary = self.words._(
                        "%(subject)s: new %(entry)s %(shown)s", subject=ctx.subject, entry=entry, shown=shown
                    )
                    self.emit(ctx, "added", summary, where, None, after)
                elif after is None:
                    summary = self.words._(
                        "%(subject)s: %(entry)s %(shown)s removed",
                        subject=ctx.subject,
                        entry=entry,
                        shown=shown,
                    )
                    self.emit(ctx, "removed", summary, where, before, None)
                else:
                    said = self.words._(
                        "%(subject)s, %(entry)s %(shown)s", subject=ctx.subject, entry=entry, shown=shown
                    )
                    sub = Ctx(ctx.kind, ctx.id, said)
                    self.walk(sub, before, after, child, (*spath, "*"), where)
            return
        target = self.ref_target(ctx, (*spath, "*"))
        if target is not None or "enum" in child:
            for value in [v for v in new if v not in old]:
                summary = self.words._(
                    "%(subject)s: %(value)s added to %(label)s",
                    subject=ctx.subject,
                    value=self.show(ctx, (*spath, "*"), value),
                    label=label,
                )
                self.emit(ctx, "added", summary, fpath, None, value)
            for value in [v for v in old if v not in new]:
                shown = self.show(ctx, (*spath, "*"), value, old=True)
                summary = self.words._(
                    "%(subject)s: %(value)s removed from %(label)s",
                    subject=ctx.subject,
                    value=shown,
                    label=label,
                )
                self.emit(ctx, "removed", summary, fpath, value, None)
            return
        self.emit(ctx, "reworded", self._reworded(ctx, label), fpath, old, new)

    def _entry_name(self, ctx: Ctx, spath: tuple[str, ...], value: Any, key: str | None, k: str) -> str:
        """How to name one list entry in a summary."""
        if key is not None and key != "id":
            target = self.ref_target(ctx, (*spath, "*", key))
            if target is not None:
                return f"'{self.name(target, k)}'"
        if isinstance(value, dict):
            for name_key in ("label", "name", "title", "text", "prompt", "do", "description"):
                text = value.get(name_key)
                if isinstance(text, str):
                    return f"'{shorten(text)}'"
        return f"'{k}'" if key is not None else k

    def _scalar(
        self, ctx: Ctx, old: Any, new: Any, node: dict[str, Any], spath: tuple[str, ...], fpath: str
    ) -> None:
        """Compare two plain values: renamed, set, removed, reworded, or moved in a direction."""
        label = label_of(spath, self.words)
        types = node.get("type")
        if old is None and (types == "boolean" or isinstance(new, bool)):
            old = node.get("default", False)
        if new is None and (types == "boolean" or isinstance(old, bool)):
            new = node.get("default", False)
        if old == new:
            return
        if spath and spath[-1] in ("name", "title") and isinstance(old, str) and isinstance(new, str):
            summary = self.words._(
                "%(subject)s: renamed '%(old)s' → '%(new)s'", subject=ctx.subject, old=old, new=new
            )
            self.emit(ctx, "reworded", summary, fpath, old, new)
            return
        if old is None:
            summary = self.words._(
                "%(subject)s: %(label)s set to %(value)s",
                subject=ctx.subject,
                label=label,
                value=self.show(ctx, spath, new),
            )
            self.emit(ctx, "added", summary, fpath, None, new)
            return
        if new is None:
            summary = self.words._(
                "%(subject)s: %(label)s removed (was %(value)s)",
                subject=ctx.subject,
                label=label,
                value=self.show(ctx, spath, old, old=True),
            )
            self.emit(ctx, "removed", summary, fpath, old, None)
            return
        is_text = (
            isinstance(old, str)
            and isinstance(new, str)
            and self.ref_target(ctx, spath) is None
            and "enum" not in node
            and "pattern" not in node
        )
        if is_text:
            self.emit(ctx, "reworded", self._reworded(ctx, label), fpath, old, new)
            return
        cls = direction_class(self.shape_of(ctx).tighter.get(spath), old, new)
        if isinstance(old, bool) and isinstance(new, bool):
            yes, no = self.words._("yes"), self.words._("no")
            summary = self.words._(
                "%(subject)s: %(label)s %(old)s → %(new)s",
                subject=ctx.subject,
                label=label,
                old=yes if old else no,
                new=no if old else yes,
            )
            self.emit(ctx, cls, summary, fpath, old, new)
            return
        values = (self.show(ctx, spath, old, old=True), self.show(ctx, spath, new))
        summary = self.words._(
            "%(subject)s: %(label)s %(old)s → %(new)s",
            subject=ctx.subject,
            label=label,
            old=values[0],
            new=values[1],
        )
        self.emit(ctx, cls, summary, fpath, old, new, shown=values)

    # -- values in words

    def name(self, kind: str, item_id: str, *, old: bool = False) -> str:
        """The name of an item, as the new playbook (or, with ``old``, the old one) has it; an
        old name the new source still has is named as the new translation names it (an older
        version may have no translation yet)."""
        first, second = self.named if old else self.named[::-1]
        if old and self.named != (self.old, self.new):
            before, after = self.old.get(kind, item_id), self.new.get(kind, item_id)
            if before is not None and after is not None and before.name == after.name:
                first = self.named[1]
        item = first.get(kind, item_id) or second.get(kind, item_id)
        if kind == "priority":
            return priority_label(item, item_id)
        return item.name if item is not None else item_id

    def shape_of(self, ctx: Ctx) -> Shape:
        """The shape ``ctx``'s paths are relative to: its item's, or a whole file's settings."""
        return file_shape(ctx.id) if ctx.kind == "settings" else shape(ctx.kind)

    def ref_target(self, ctx: Ctx, spath: tuple[str, ...]) -> str | None:
        """The kind of item a value at ``spath`` refers to, if it is a reference."""
        return self.shape_of(ctx).refs.get(spath)

    def show(self, ctx: Ctx, spath: tuple[str, ...], value: Any, *, old: bool = False) -> str:
        """A value as a reader would say it: a reference by name, money, percent, a duration."""
        if isinstance(value, list):
            shown = ", ".join(self.show(ctx, (*spath, "*"), v, old=old) for v in value)
            return shown or self.words._("none")
        target = self.ref_target(ctx, spath)
        if target is not None and isinstance(value, str):
            return self.name(target, value, old=old)
        if isinstance(value, bool):
            return self.words._("yes") if value else self.words._("no")
        if isinstance(value, (int, float)):
            # A list of numbers takes the unit of the list.
            unit = self.shape_of(ctx).unit.get(_strip_wildcards(spath))
            if unit == "money":
                return self.words.money(value)
            if unit == "percent":
                return self.words.percent(value)
            return self.words.number(value)
        if isinstance(value, str):
            return self.words.duration(value) if parse_duration(value) is not None else value
        return json.dumps(value, ensure_ascii=False)

    # -- special cases


def _strip_wildcards(spath: tuple[str, ...]) -> tuple[str, ...]:
    """The path without trailing list or mapping wildcards (a list takes its parent's unit)."""
    end = len(spath)
    while end and spath[end - 1] in ("*", "**"):
        end -= 1
    return spath[:end]
