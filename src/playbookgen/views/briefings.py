"""Change briefings: for a version, what changed in policy since the previous one, for each
audience that acts on it, with a check of understanding and a sign-off sheet.

Made from the semantic diff (:mod:`playbookgen.diff`), never from the text: a change is
*material* unless the diff classes it ``reworded`` (wording, typo fixes, renames), so a
version that only rewords gives no briefing at all, and an audience that no material change
touches gets none either — the index says so.

Who a change touches, read off the changes' ``affects`` and the new playbook:

- store staff and agents: changes to categories they handle (through the categories'
  channels: offline → store staff, online → agents), goodwill limits of their roles, their
  cheat sheets, channels of their family (not staffing parameters), and training modules for
  their roles;
- case owners and leaders: every change to how cases are run (categories, SLA policies,
  priorities, calendars, RACI, roles, goodwill limits of their roles, QA, KPIs, policy values
  and staffing parameters);
- trainers: every change that affects a training module, and changes to modules and QA.
"""

from __future__ import annotations

from dataclasses import dataclass

from playbookgen.diff.changes import Change, Changelog
from playbookgen.model import Playbook
from playbookgen.views.typed import Ref
from playbookgen.wording import N_, Wording


@dataclass(frozen=True)
class BriefingAudience:
    """Readers who get one briefing: the site audience with the same id, the role groups in
    it and the channel family they serve."""

    id: str
    title: str
    groups: frozenset[str]
    family: str | None = None


AUDIENCES = (
    BriefingAudience("in-store", N_("Store staff"), frozenset({"store"}), "offline"),
    BriefingAudience("agents", N_("Agents (call, chat, email)"), frozenset({"bpo"}), "online"),
    BriefingAudience("leaders", N_("Case owners & leaders"), frozenset({"case-team", "leadership"})),
    BriefingAudience("trainers", N_("Trainers"), frozenset()),
)
LEADER_KINDS = frozenset(
    {
        "category",
        "sla-policy",
        "priority",
        "priority-matrix",
        "impact",
        "urgency",
        "calendar",
        "activity",
        "role",
        "level",
        "qa",
        "kpi",
        "policy",
        "settings",
        "recovery",
        "form",
    }
)
"""Kinds of change case owners and leaders act on whatever they touch."""
CLASS_WORDS = {
    "tightened": N_("stricter"),
    "loosened": N_("more room"),
    "added": N_("new"),
    "removed": N_("removed"),
    "changed": N_("changed"),
}
QUESTIONS = 5
"""At most this many questions in a check of understanding."""
BLANK_LINES = 14
"""Lines of the sign-off sheet without a roster."""


@dataclass(frozen=True)
class RosterEntry:
    """A person to sign a briefing, from a roster CSV: name, team or store, and the audience
    (an audience id; empty for every briefing)."""

    name: str
    team: str = ""
    audience: str = ""


@dataclass(frozen=True)
class BriefingChange:
    """One material change as the briefing lists it."""

    summary: str
    cls: str
    training: tuple[Ref, ...]
    label: str = ""
    """The class in the reader's words: stricter, more room, new, removed, changed."""


@dataclass(frozen=True)
class Question:
    """A question of the check of understanding: the old and the new value among the
    choices, ``answer`` the index of the right one (the new value)."""

    text: str
    choices: tuple[str, ...]
    answer: int

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple("ABCDEFGH"[: len(self.choices)])

    @property
    def answer_letter(self) -> str:
        return self.letters[self.answer]


@dataclass(frozen=True)
class Briefing:
    """One audience's briefing for a version."""

    audience: BriefingAudience
    changes: tuple[BriefingChange, ...]
    training: tuple[Ref, ...]
    questions: tuple[Question, ...]
    roster: tuple[RosterEntry, ...]
    blank_lines: int

    @property
    def id(self) -> str:
        return self.audience.id


@dataclass(frozen=True)
class Briefings:
    """Every briefing of a version, the audiences no change touches, and the versions
    compared (``reason`` says why there are none when the previous version was not read)."""

    version: str
    previous: str
    effective_date: str
    briefings: tuple[Briefing, ...]
    untouched: tuple[BriefingAudience, ...]
    reworded: int
    reason: str = ""


def briefings(
    playbook: Playbook,
    changelog: Changelog | None,
    words: Wording,
    roster: tuple[RosterEntry, ...] = (),
    reason: str = "",
) -> Briefings:
    """The briefings of ``playbook``'s version from the changes since the previous one."""
    settings = playbook.settings
    version = str(settings.get("version", ""))
    effective = words.date(str(settings.get("effective_date", "")))
    audiences = tuple(BriefingAudience(a.id, words._(a.title), a.groups, a.family) for a in AUDIENCES)
    if changelog is None:
        return Briefings(version, "", effective, (), audiences, 0, reason)
    changelog = changelog.in_words(words)
    previous = changelog.old.version or changelog.old.label
    material = [c for c in changelog.changes if c.cls != "reworded"]
    made: list[Briefing] = []
    untouched: list[BriefingAudience] = []
    for audience in audiences:
        roles = roles_of(playbook, audience)
        mine = [c for c in material if audience.id in touched(playbook, c)]
        if not mine:
            untouched.append(audience)
            continue
        modules = _modules(playbook, changelog, mine, audience, roles)
        listed = tuple(
            BriefingChange(
                c.summary,
                c.cls,
                tuple(m for m in modules if m.id in c.affects.training),
                words._(CLASS_WORDS.get(c.cls, c.cls)),
            )
            for c in mine
        )
        people = tuple(r for r in roster if r.audience in ("", audience.id))
        made.append(Briefing(audience, listed, modules, questions(mine, version, words), people, BLANK_LINES))
    reworded = sum(c.cls == "reworded" for c in changelog.changes)
    return Briefings(version, previous, effective, tuple(made), tuple(untouched), reworded)


def roles_of(playbook: Playbook, audience: BriefingAudience) -> set[str]:
    """The roles in an audience's groups."""
    return {r.id for r in playbook.all("role") if r.data.get("group") in audience.groups}


def touched(playbook: Playbook, change: Change) -> set[str]:
    """The ids of the audiences a material change touches (see the module docstring)."""
    trainers = {"trainers"} if change.affects.training else set()
    if change.kind == "training":
        return {"trainers"}
    if change.kind == "qa":
        return {"trainers", "leaders"}
    if change.kind == "channel":
        if change.field.startswith("staffing"):
            return {"leaders"}  # planning parameters: nobody at the front acts on them
        channel = playbook.get("channel", change.id)
        family = str(channel.data.get("family")) if channel is not None else None
        return {a.id for a in AUDIENCES if a.family is not None and a.family == family} | {"leaders"}
    if change.kind == "authority":
        role = playbook.get("role", change.id)
        group = str(role.data.get("group")) if role is not None else ""
        return {a.id for a in AUDIENCES if group in a.groups} | trainers
    families: set[str] = set()
    for category_id in change.affects.categories:
        category = playbook.get("category", category_id)
        if category is None:
            families |= {"online", "offline"}  # removed in this version: tell everyone who handled it
            continue
        for channel_id in category.data.get("channels", []):
            channel = playbook.get("channel", str(channel_id))
            if channel is not None:
                families.add(str(channel.data.get("family")))
    for sheet_id in change.affects.cheat_sheets:
        sheet = playbook.get("cheat-sheet", sheet_id)
        if sheet is not None:
            families.add(str(sheet.data.get("family")))
    found = {a.id for a in AUDIENCES if a.family is not None and a.family in families} | trainers
    if change.kind in LEADER_KINDS or change.affects.categories:
        found.add("leaders")
    return found


def _modules(
    playbook: Playbook,
    changelog: Changelog,
    changes: list[Change],
    audience: BriefingAudience,
    roles: set[str],
) -> tuple[Ref, ...]:
    """The training modules these changes affect that the audience takes (trainers: all)."""
    ids = sorted({m for c in changes for m in c.affects.training})
    found: list[Ref] = []
    for module_id in ids:
        module = playbook.get("training", module_id)
        if module is None:
            continue
        if audience.id != "trainers" and not roles & set(module.data.get("audience", [])):
            continue
        found.append(Ref(module.id, module.name, module))
    return tuple(sorted(found, key=lambda r: (r.name.lower(), r.id)))


def questions(changes: list[Change], version: str, words: Wording) -> tuple[Question, ...]:
    """A short check of understanding: one question per change that moved a value, its old
    and new value among the choices; questions about the same thing asked once."""
    asked: list[Question] = []
    seen: set[tuple[str, str]] = set()
    ranked = sorted(changes, key=lambda c: c.cls not in ("tightened", "loosened", "changed"))
    for change in ranked:
        if change.shown is None or len(asked) >= QUESTIONS:
            continue
        was, now = change.shown
        arrow = f"{was} → {now}"
        if was == now or arrow not in change.summary:
            continue
        subject = change.summary[: change.summary.index(arrow)].rstrip(" :,")
        if (change.kind, change.id) in seen or not subject:
            continue  # one question per item: the check asks about different things
        seen.add((change.kind, change.id))
        choices = tuple(sorted({was, now}, key=lambda v: (v.casefold(), v)))
        text = words._(
            "%(subject)s: what is it from version %(version)s on?", subject=subject, version=version
        )
        asked.append(Question(text, choices, choices.index(now)))
    return tuple(asked)


def briefing_pdf(audience_id: str, edition: str = "") -> str:
    """Where a briefing's PDF goes inside the PDF folder (``trainer``: the answer key copy)."""
    return f"briefings/{audience_id}{'-' + edition if edition else ''}.pdf"
