"""What a diff is made of: changes, what each one affects, the two sides compared, and the
changelog that holds them in report order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playbookgen.problems import Problem
from playbookgen.wording import ENGLISH, Wording

CLASSES = ("tightened", "loosened", "added", "removed", "reworded", "changed")


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
    shown: tuple[str, str] | None = None
    """The old and new value as the summary words them (``€25``, ``€40``), when the change
    moves one value to another; briefings ask about them."""

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

    def describe(self, words: Wording = ENGLISH) -> str:
        if self.version and self.effective_date:
            details = words._(
                "version %(version)s, effective %(date)s", version=self.version, date=self.effective_date
            )
        elif self.version:
            details = words._("version %(version)s", version=self.version)
        else:
            details = self.effective_date or ""
        return f"{self.label} ({details})" if details else self.label


@dataclass
class Changelog:
    """Every change from ``old`` to ``new``, in report order, with the names to show."""

    old: Side
    new: Side
    changes: list[Change]
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    words: Wording = ENGLISH
    """The playbook's language (the newer side's), in which the reports word the changes."""
    translations: list[Any] = field(default_factory=list)
    """Changes to the translations (:class:`~playbookgen.diff.translations.TranslationChange`),
    reported apart: they are never policy changes."""
    sources: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)
    """The two playbooks compared, so the changes can be worded again in another language."""
    _worded: dict[tuple[str, str], Changelog] = field(default_factory=dict, repr=False, compare=False)

    def in_words(self, words: Wording) -> Changelog:
        """The same changes worded in ``words``' language and formats (a Dutch site page of an
        English-source playbook): compared again once per language, then kept."""
        key = (words.tag, words.currency)
        if key == (self.words.tag, self.words.currency) or self.sources is None:
            return self
        if key not in self._worded:
            from playbookgen.diff.compare import compare  # compare builds changelogs

            old, new = self.sources
            self._worded[key] = compare(
                old, new, old_label=self.old.label, new_label=self.new.label, words=words
            )
        return self._worded[key]

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


@dataclass(frozen=True)
class Ctx:
    """The item a change is about, and how to name it at the start of a summary."""

    kind: str
    id: str
    subject: str
    name: str = ""
