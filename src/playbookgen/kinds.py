"""The catalogue of source kinds: every kind of playbook file, described once.

Each entry says where the file lives (a file, or a folder of one file per item), whether a
playbook must have it, which schema validates it, which of its lists hold items and what
those items are called. The model, the schema tools, the editor settings, the diff, the
documentation of the built-in checks and ``init`` all read this catalogue, so a new kind of
source is one entry here plus its ``schemas/<name>.schema.json``. What values mean (which
way is tighter, how list entries match, which numbers are money) lives in the schema itself
as ``x-`` annotations; see :func:`playbookgen.schema.semantics`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemKind:
    """A kind of item: its id and its names in messages. Items match across versions by
    ``match`` (their ``id``, or another key for entries that have none, like goodwill limits
    matched by role); only items matched by id are indexed in the model."""

    id: str
    singular: str
    plural: str
    match: str = "id"


@dataclass(frozen=True)
class ItemList:
    """A list in a file whose entries are items of one kind."""

    key: str
    item: ItemKind


@dataclass(frozen=True)
class SourceKind:
    """A kind of source file: one file (``path`` is its name) or, when ``item`` is set, a
    folder (``path`` is the folder) holding one file per item of that kind."""

    name: str
    path: str
    required: bool = False
    lists: tuple[ItemList, ...] = ()
    item: ItemKind | None = None
    missing_hint: str = ""

    @property
    def folder(self) -> bool:
        """Whether this kind is a folder of one file per item."""
        return self.item is not None

    @property
    def home(self) -> str:
        """Where a reader finds it: ``sla.yaml`` or ``categories/``."""
        return f"{self.path}/" if self.folder else self.path

    @property
    def glob(self) -> str:
        """The files of this kind, relative to the playbook folder."""
        return f"{self.path}/*.yaml" if self.folder else self.path

    @property
    def schema_file(self) -> str:
        """The file name of its schema in ``schemas/``."""
        return f"{self.name}.schema.json"

    def item_kinds(self) -> tuple[ItemKind, ...]:
        """Every kind of item a file of this kind defines."""
        return ((self.item,) if self.item is not None else ()) + tuple(lst.item for lst in self.lists)


def _list(key: str, kind: str, singular: str, plural: str, match: str = "id") -> ItemList:
    return ItemList(key, ItemKind(kind, singular, plural, match))


# In the order files are read and offered to editors: single files, then folders.
SOURCES: tuple[SourceKind, ...] = (
    SourceKind(
        "playbook",
        "playbook.yaml",
        required=True,
        lists=(
            _list("contacts", "contact", "official contact", "official contacts"),
            _list("cheat_sheets", "cheat-sheet", "cheat sheet", "cheat sheets"),
        ),
    ),
    SourceKind(
        "channels",
        "channels.yaml",
        required=True,
        lists=(_list("channels", "channel", "channel", "channels"),),
    ),
    SourceKind(
        "calendars",
        "calendars.yaml",
        required=True,
        lists=(_list("calendars", "calendar", "calendar", "calendars"),),
    ),
    SourceKind(
        "roles",
        "roles.yaml",
        required=True,
        lists=(
            _list("escalation_levels", "level", "escalation level", "escalation levels"),
            _list("qualifications", "qualification", "qualification", "qualifications"),
            _list("roles", "role", "role", "roles"),
        ),
    ),
    SourceKind(
        "authority",
        "authority.yaml",
        lists=(
            _list("compensation_types", "compensation-type", "compensation type", "compensation types"),
            _list("limits", "authority", "goodwill limits", "goodwill limits", match="role"),
        ),
    ),
    SourceKind(
        "priorities",
        "priorities.yaml",
        required=True,
        lists=(
            _list("impact", "impact", "impact level", "impact levels"),
            _list("urgency", "urgency", "urgency level", "urgency levels"),
            _list("priorities", "priority", "priority", "priorities"),
        ),
    ),
    SourceKind(
        "sla",
        "sla.yaml",
        required=True,
        lists=(
            _list("tiers", "tier", "customer tier", "customer tiers"),
            _list("policies", "sla-policy", "SLA policy", "SLA policies"),
        ),
    ),
    SourceKind(
        "raci",
        "raci.yaml",
        required=True,
        lists=(_list("activities", "activity", "RACI activity", "RACI activities"),),
    ),
    SourceKind("kpis", "kpis.yaml", lists=(_list("kpis", "kpi", "KPI", "KPIs"),)),
    SourceKind(
        "policies", "policies.yaml", lists=(_list("policies", "policy", "policy value", "policy values"),)
    ),
    SourceKind("helpdesk", "helpdesk.yaml"),
    SourceKind(
        "category",
        "categories",
        required=True,
        item=ItemKind("category", "category", "categories"),
        missing_hint="add one file per case category",
    ),
    SourceKind("recovery", "recovery", item=ItemKind("recovery", "recovery script", "recovery scripts")),
    SourceKind("training", "training", item=ItemKind("training", "training module", "training modules")),
    SourceKind("form", "forms", item=ItemKind("form", "form", "forms")),
    SourceKind("qa", "qa", item=ItemKind("qa", "QA scorecard", "QA scorecards")),
)


TRANSLATION_SCHEMA = "translation"
"""Translation files are not a kind of source of their own: each overlays one source file
(``translations/<language>/<its path>``, see :mod:`playbookgen.translations`) and is validated
by ``schemas/translation.schema.json``."""


def schema_names() -> tuple[str, ...]:
    """Every shipped schema: one per source kind, and the translation files'."""
    return (*names(), TRANSLATION_SCHEMA)


def sources() -> tuple[SourceKind, ...]:
    """Every source kind, in catalogue order."""
    return SOURCES


def names() -> tuple[str, ...]:
    """The name of every source kind (and of its schema), in catalogue order."""
    return tuple(source.name for source in SOURCES)


def source(name: str) -> SourceKind:
    """The source kind of that name; KeyError for a name the catalogue does not know."""
    global _BY_NAME
    catalogue, by_name = _BY_NAME
    if catalogue is not SOURCES:  # the catalogue was extended (a plugin, a test): index it again
        by_name = {entry.name: entry for entry in SOURCES}
        _BY_NAME = (SOURCES, by_name)
    return by_name[name]


_BY_NAME: tuple[tuple[SourceKind, ...], dict[str, SourceKind]] = (
    SOURCES,
    {entry.name: entry for entry in SOURCES},
)
"""``source()``'s index, with the catalogue it was made from."""


def files() -> dict[str, SourceKind]:
    """Single-file source kinds by file name."""
    return {s.path: s for s in SOURCES if not s.folder}


def folders() -> dict[str, SourceKind]:
    """Folder source kinds by folder name."""
    return {s.path: s for s in SOURCES if s.folder}


def kind_of(relpath: str) -> SourceKind | None:
    """The source kind of a file, by its path relative to the playbook folder."""
    head, _, rest = relpath.partition("/")
    return folders().get(head) if rest else files().get(relpath)


def item_kinds() -> tuple[ItemKind, ...]:
    """Every kind of item, in catalogue order."""
    return tuple(item for source in SOURCES for item in source.item_kinds())


def item_kind(kind: str) -> ItemKind | None:
    """The item kind with that id, if the catalogue has one."""
    return next((item for item in item_kinds() if item.id == kind), None)


def home_of(kind: str) -> tuple[SourceKind, ItemList | None] | None:
    """Where items of a kind are defined: the source kind, and the list in it (None for a
    folder of one file per item)."""
    for entry in SOURCES:
        if entry.item is not None and entry.item.id == kind:
            return entry, None
        for lst in entry.lists:
            if lst.item.id == kind:
                return entry, lst
    return None


def kind_name(kind: str) -> str:
    """How messages name one item of a kind (``SLA policy``); the id for an unknown kind."""
    item = item_kind(kind)
    return item.singular if item is not None else kind


def kind_home(kind: str) -> str:
    """Where a reader defines an item of a kind: ``roles.yaml`` or ``categories/``."""
    found = home_of(kind)
    return found[0].home if found is not None else ""
