"""Who a change touches: the training modules to retrain, the forms and cheat sheets to
reprint, and the categories it concerns, looked up in both playbooks.

What the references say (a form used by a category whose SLA changed, every module for a
role whose goodwill cap changed) is only where to look: a printable item is affected when
what it shows changes. Both sides' print documents are rendered (as HTML, with the new
side's version, date and build moment on both, so only the content counts) and a form,
module or cheat sheet whose text is the same on both sides is left out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from playbookgen import views
from playbookgen.diff.changes import Affects, Change
from playbookgen.diff.facts import priority_for, sla_target
from playbookgen.model import Item, Playbook
from playbookgen.problems import PlaybookError
from playbookgen.text import policy_refs


class Affected:
    """Looks up what changes to items of two playbooks affect."""

    def __init__(self, old: Playbook, new: Playbook) -> None:
        self.old, self.new = old, new
        self.usage = {id(p): policy_usage(p) for p in (old, new)}

    def policy_users(self, policy_id: str) -> dict[str, set[str]]:
        """Items that quote a policy value or, for training modules, cover it (in either playbook)."""
        users: dict[str, set[str]] = {}
        for playbook in (self.old, self.new):
            for kind, ids in self.usage[id(playbook)].get(policy_id, {}).items():
                users.setdefault(kind, set()).update(ids)
        return users

    def goodwill_modules(self, role_id: str) -> set[str]:
        """Modules for a role that teach goodwill (cover a form that records compensation);
        every module for the role when none does."""
        audience = [
            t
            for p in (self.old, self.new)
            for t in p.all("training")
            if role_id in t.data.get("audience", [])
        ]
        goodwill = {f.id for p in (self.old, self.new) for f in p.all("form") if records_compensation(f)}
        narrowed = {t.id for t in audience if goodwill & set(covers(t, "forms"))}
        return narrowed or {t.id for t in audience}

    def of(self, kind: str, item_id: str, categories: set[str] | None) -> Affects:
        """What a change to one item touches (``categories``: the ones it applies to, when not
        all of the item's)."""
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
                if str(
                    (sla_target(p, c.data.get("sla_policy"), priority_for(p, c.data)) or {}).get("calendar")
                )
                == item_id
            }
        elif kind == "policy":
            users = self.policy_users(item_id)
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
            training = {t.id for p in playbooks for t in p.all("training") if item_id in covers(t, "forms")}
            cats = {
                c.id
                for p in playbooks
                for c in p.all("category")
                if item_id in c.data.get("forms", []) or c.data.get("closure_form") == item_id
            }
            return affects_of(training, forms, cats, sheets)
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
            training = self.goodwill_modules(item_id)
            forms = {f.id for p in playbooks for f in p.all("form") if records_compensation(f)}
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
            return affects_of(training, forms, cats, sheets)
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
                training.update(t.id for t in p.all("training") if item_id in covers(t, "policies"))
        return affects_of(training, forms, cats, sheets)

    def shown(self, changes: list[Change]) -> list[Change]:
        """``changes`` with only the forms, modules and cheat sheets whose printed text
        changes left in what they affect. Only the candidates are rendered, once, together;
        when a side cannot be printed (its own print templates fail: the build says why) the
        candidates stay."""
        candidates = {
            (kind, item_id)
            for change in changes
            for kind, ids in (
                ("form", change.affects.forms),
                ("training", change.affects.training),
                ("cheat-sheet", change.affects.cheat_sheets),
            )
            for item_id in ids
        }
        if not candidates:
            return changes
        try:
            changed = printed_changes(self.old, self.new, candidates)
        except PlaybookError:
            return changes
        return [
            replace(
                change,
                affects=Affects(
                    tuple(t for t in change.affects.training if ("training", t) in changed),
                    tuple(f for f in change.affects.forms if ("form", f) in changed),
                    change.affects.categories,
                    tuple(s for s in change.affects.cheat_sheets if ("cheat-sheet", s) in changed),
                ),
            )
            for change in changes
        ]


PRINTED = ("form", "training", "cheat-sheet")
"""The kinds of item whose printed text decides whether a change affects them."""


def printed_changes(old: Playbook, new: Playbook, only: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of the items ``only`` names, as (kind, id), print differently on the two sides
    (or exist on one side only). The old side is rendered with the new side's version
    settings and build moment, so a new version number or date alone changes nothing."""
    from playbookgen.render.print_html import build_moment, print_documents

    moment = build_moment(new)
    texts = [
        _printed(print_documents(side, moment, PRINTED, only)) for side in (_with_version_of(old, new), new)
    ]
    return {key for key in set(texts[0]) | set(texts[1]) if texts[0].get(key) != texts[1].get(key)}


def _printed(docs: list[Any]) -> dict[tuple[str, str], list[str]]:
    printed: dict[tuple[str, str], list[str]] = {}
    for doc in docs:
        if doc.source is not None:
            printed.setdefault((doc.kind, doc.source.id), []).append(doc.html)
    return printed


def _with_version_of(old: Playbook, new: Playbook) -> Playbook:
    """``old`` with the settings that describe a version (``x-diff: ignore`` in the schema of
    playbook.yaml: version, effective date…) taken from ``new``."""
    from playbookgen.diff.shape import ignored_keys

    doc = old.docs.get("playbook.yaml")
    if doc is None or not isinstance(doc.data, dict):
        return old
    data = {k: v for k, v in doc.data.items() if k not in ignored_keys("playbook")}
    data.update({k: v for k, v in new.settings.items() if k in ignored_keys("playbook")})
    docs = dict(old.docs)
    docs["playbook.yaml"] = replace(doc, data=data)
    return Playbook(old.root, docs, old.kinds, old.items)


def _calendar_of(playbook: Playbook, data: dict[str, Any]) -> Any:
    """The calendar of the SLA target a category gets, if any."""
    return (sla_target(playbook, data.get("sla_policy"), priority_for(playbook, data)) or {}).get("calendar")


def affects_of(training: set[str], forms: set[str], cats: set[str], sheets: set[str]) -> Affects:
    """The sets found, sorted, as an :class:`Affects`."""
    return Affects(tuple(sorted(training)), tuple(sorted(forms)), tuple(sorted(cats)), tuple(sorted(sheets)))


def records_compensation(form: Item) -> bool:
    """Whether a form has a field that records the compensation granted."""
    return any(
        entry.get("captures") == "compensation"
        for section in form.data.get("sections", [])
        for entry in section.get("fields", [])
    )


def covers(module: Item, key: str) -> list[str]:
    """The ids a training module's ``covers`` lists under ``key``."""
    covered = module.data.get("covers", {})
    return list(covered.get(key, [])) if isinstance(covered, dict) else []


def policy_usage(playbook: Playbook) -> dict[str, dict[str, set[str]]]:
    """policy id → kind → ids of the items whose text quotes it (training: or covers it)."""
    usage: dict[str, dict[str, set[str]]] = {}
    for kind in ("category", "training", "form", "recovery", "cheat-sheet"):
        for item in playbook.all(kind):
            quoted = {ref for text in strings_in(item.data) for ref in policy_refs(text)}
            if kind == "training":
                quoted.update(covers(item, "policies"))
            for policy_id in quoted:
                usage.setdefault(policy_id, {}).setdefault(kind, set()).add(item.id)
    return usage


def strings_in(data: Any) -> Iterator[str]:
    """Every text anywhere in some YAML data."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)
