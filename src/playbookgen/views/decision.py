"""'Can I fix it now?': a category's decision tree, derived once from what the playbook says.

For each team that takes the case first (the owners of its resolve-now steps, grouped as
store staff, contact-centre agents, …) three questions, each ending in an action with an
owner:

1. *Can you fix it on the spot?* — yes: the team's resolve-now steps; no: hand over to the
   next role for that team (its own role on the escalation path, else a later step by a role
   of its team, else the first step up outside the frontline, else the case owner).
2. *Does the customer need goodwill?* — up to the frontline role's caps in
   ``authority.yaml``; above them, its approver (or the first role on the path that may give
   more).
3. *Is the SLA target missed?* — the levels the category's SLA policy escalates to, with the
   roles on them.

The skeleton (:func:`skeleton`) works on the model alone, so the rule ``decision-dead-end``
finds the same branches the site and print show; :func:`decision` words it as a
:class:`DecisionView` for the category page and the print diagram.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from playbookgen.loader import JsonPath
from playbookgen.model import Item, Playbook, path_roles
from playbookgen.views import authority_for, level_of

if TYPE_CHECKING:  # the rule decision-dead-end reads the skeleton alone, without the typed views
    from playbookgen.views.typed import Cap, CategoryView, EscalationTarget, PlaybookView, Ref, RoleView, Step

FRONTLINE = ("store", "bpo")
"""Role groups that face customers first; one team's case is not handed to the other's lead."""


# --- the skeleton, from the model ------------------------------------------------------------


@dataclass(frozen=True)
class Handover:
    """Where a team sends a case it cannot fix: roles, the condition, and where it is written
    (``path`` inside the category: an escalation-path entry, a step, or the owner)."""

    roles: tuple[str, ...]
    when: str
    path: JsonPath
    step: int | None = None
    entry: int | None = None


@dataclass(frozen=True)
class GoodwillNext:
    """Who a frontline role asks for goodwill above its caps (``role`` None: nobody)."""

    giver: str
    giver_step: int
    has_caps: bool
    role: str | None
    approver: bool = False
    """True when ``role`` is the giver's approver in authority.yaml (else: found on the path)."""


@dataclass(frozen=True)
class Breach:
    """One SLA escalation of the category's policy: the level and the roles on it."""

    policy: Item
    index: int
    level: str
    at_percent: Any
    roles: tuple[str, ...]
    notify: tuple[str, ...]


@dataclass(frozen=True)
class Team:
    """The frontline team of one role group on a category, and its branches."""

    group: str
    roles: tuple[str, ...]
    steps: tuple[int, ...]
    """Indexes of the resolve-now steps its roles own."""
    own: tuple[int, ...]
    """Indexes of every step its roles own (what a team without resolve-now steps does)."""
    handover: Handover | None
    goodwill: GoodwillNext | None


@dataclass(frozen=True)
class Skeleton:
    teams: tuple[Team, ...]
    breaches: tuple[Breach, ...] = ()


def _role(playbook: Playbook, role_id: object) -> Item | None:
    return playbook.get("role", str(role_id))


def _group(playbook: Playbook, role_id: object) -> str:
    role = _role(playbook, role_id)
    return str(role.data.get("group", "")) if role is not None else ""


def _caps(playbook: Playbook, role_id: str, forbidden: set[str]) -> dict[str, float]:
    limits = authority_for(playbook, role_id) or {}
    return {
        str(cap.get("type")): float(cap.get("per_case", 0))
        for cap in limits.get("caps", [])
        if isinstance(cap, dict) and str(cap.get("type")) not in forbidden
    }


def _teams(playbook: Playbook, category: Item) -> list[tuple[str, list[str], list[int], list[int]]]:
    """(group, roles, resolve-now step indexes, all their step indexes) of each team that
    takes the case first: the owners of resolve-now steps, and roles on the lowest level with
    a step of their own (a store associate who passes a data request on); store staff first,
    then agents, then others."""
    steps = [s for s in category.data.get("steps", []) if isinstance(s, dict)]
    lowest = min(
        (n for s in steps if (r := _role(playbook, s.get("owner"))) and (n := level_of(playbook, r))),
        default=None,
    )
    found: dict[str, tuple[list[str], list[int], list[int]]] = {}
    for index, step in enumerate(steps):
        role = _role(playbook, step.get("owner"))
        if role is None:
            continue
        if not step.get("resolve_now") and (lowest is None or level_of(playbook, role) != lowest):
            continue
        roles, mine, own = found.setdefault(str(role.data.get("group", "")), ([], [], []))
        if role.id not in roles:
            roles.append(role.id)
        if step.get("resolve_now"):
            mine.append(index)
    for roles, _, own in found.values():
        own.extend(i for i, s in enumerate(steps) if str(s.get("owner")) in roles)
    order = {group: rank for rank, group in enumerate(FRONTLINE)}
    ranked = sorted(found.items(), key=lambda kv: order.get(kv[0], len(order)))
    return [(group, roles, mine, own) for group, (roles, mine, own) in ranked]


def _handover(playbook: Playbook, category: Item, group: str, roles: list[str]) -> Handover | None:
    mine = set(roles)
    entries = [e for e in category.data.get("escalation_path", []) if isinstance(e, dict)]
    for index, entry in enumerate(entries):
        targets = [r for r, _ in path_roles(entry) if r not in mine]
        if any(_group(playbook, r) == group for r in targets):
            # Branches depend on the case, so all of them stay; roles on the same footing are
            # narrowed to this team's (the store manager in store, the team lead online).
            ours = targets if "branches" in entry else [r for r in targets if _group(playbook, r) == group]
            return Handover(tuple(ours), str(entry.get("when", "")), ("escalation_path", index), entry=index)
    for index, step in enumerate(category.data.get("steps", [])):
        owner = str(step.get("owner"))
        if not step.get("resolve_now") and owner not in mine and _group(playbook, owner) == group:
            return Handover((owner,), str(step.get("when") or ""), ("steps", index, "owner"), step=index)
    for index, entry in enumerate(entries):
        others = [
            r
            for r, _ in path_roles(entry)
            if r not in mine and (_group(playbook, r) not in FRONTLINE or _role(playbook, r) is None)
        ]
        if others:
            return Handover(
                tuple(others), str(entry.get("when", "")), ("escalation_path", index), entry=index
            )
    owner = str(category.data.get("owner"))
    if owner not in mine and _role(playbook, owner) is not None:
        return Handover((owner,), "", ("owner",))
    return None


def _goodwill(
    playbook: Playbook, category: Item, roles: list[str], handover: Handover | None
) -> GoodwillNext | None:
    """Who the team's first role asks for goodwill above its caps; None when nobody on the
    case may give goodwill at all (the category then shows no goodwill question)."""
    forbidden = {
        str(e.get("type")) for e in category.data.get("forbidden_compensation", []) if isinstance(e, dict)
    }
    steps = category.data.get("steps", [])
    giver = next((r for r in roles if _caps(playbook, r, forbidden)), roles[0] if roles else None)
    if giver is None:
        return None
    giver_step = next((i for i, s in enumerate(steps) if str(s.get("owner")) == giver), 0)
    own = _caps(playbook, giver, forbidden)
    later = [
        r for e in category.data.get("escalation_path", []) if isinstance(e, dict) for r, _ in path_roles(e)
    ]
    on_case = list(
        dict.fromkeys([*(handover.roles if handover else ()), *later, str(category.data.get("owner"))])
    )
    if own:
        limits = authority_for(playbook, giver) or {}
        approver = limits.get("approver")
        if approver and _role(playbook, approver) is not None:
            return GoodwillNext(giver, giver_step, True, str(approver), approver=True)
        higher = next(
            (
                r
                for r in on_case
                if any(amount > own.get(kind, 0) for kind, amount in _caps(playbook, r, forbidden).items())
            ),
            None,
        )
        return GoodwillNext(giver, giver_step, True, higher)
    anyone = next((r for r in on_case if r not in roles and _caps(playbook, r, forbidden)), None)
    return GoodwillNext(giver, giver_step, False, anyone) if anyone is not None else None


def breaches(playbook: Playbook, category: Item) -> tuple[Breach, ...]:
    """The escalations of the category's SLA policy (read of the category: its ``sla_policy``)."""
    policy = playbook.get("sla-policy", str(category.data.get("sla_policy")))
    if policy is None:
        return ()
    found = []
    for index, entry in enumerate(policy.data.get("escalations", [])):
        if not isinstance(entry, dict):
            continue
        level = str(entry.get("level"))
        holders = tuple(r.id for r in playbook.all("role") if str(r.data.get("level")) == level)
        notify = tuple(str(r) for r in entry.get("notify", []))
        found.append(Breach(policy, index, level, entry.get("at_percent"), holders, notify))
    return tuple(found)


def skeleton(playbook: Playbook, category: Item) -> Skeleton:
    """The branches of a category's decision tree, as role ids and where they are written."""
    teams = []
    for group, roles, steps, own in _teams(playbook, category):
        handover = _handover(playbook, category, group, roles)
        goodwill = _goodwill(playbook, category, roles, handover)
        teams.append(Team(group, tuple(roles), tuple(steps), tuple(own), handover, goodwill))
    return Skeleton(tuple(teams), breaches(playbook, category))


# --- the typed, worded view --------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """Where one answer leads: steps to do yourself, goodwill to give, or a role (and its
    level) to hand the case to. An action with neither steps nor owners is a dead end."""

    kind: str
    """'do', 'handover', 'give', 'ask' or 'breach'."""
    text: str
    """The action in one line: 'Hand over to Store manager'."""
    owners: tuple[RoleView, ...] = ()
    level: str = ""
    """'Level 2 · Team lead / store manager' when the owners share a level."""
    when: str = ""
    """The condition as the playbook writes it (YAML text, for the ``inline`` filter)."""
    steps: tuple[Step, ...] = ()
    """For 'do', the steps; for 'handover', what the team does first (its own steps)."""
    caps: tuple[Cap, ...] = ()
    targets: tuple[EscalationTarget, ...] = ()
    """The branches of a branched escalation step the hand-over follows (their labels)."""
    contact: str = ""
    told: tuple[RoleView, ...] = ()
    """Who an SLA escalation tells (its ``notify``)."""
    qualification: Ref | None = None
    """The qualification the case needs that the team handing it over does not hold."""
    numbers: tuple[int, ...] = ()
    """The number of each of ``steps`` among the category's handling steps (1 for the first),
    so print can point to the full step in its steps table."""

    @property
    def dead_end(self) -> bool:
        """Nothing to do ('do') or nobody to go to (every other kind)."""
        return not self.steps if self.kind == "do" else not self.owners

    @property
    def names(self) -> str:
        return ", ".join(r.name for r in self.owners)


@dataclass(frozen=True)
class Answer:
    label: str
    """'Yes', 'No', 'Up to your limit', 'At 150%'."""
    action: Action


@dataclass(frozen=True)
class Question:
    id: str
    """'fix', 'goodwill' or 'breach'."""
    text: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class DecisionTree:
    """The questions for one frontline team ('In store': the store associate)."""

    group: str
    title: str
    roles: tuple[RoleView, ...]
    questions: tuple[Question, ...]

    @property
    def names(self) -> str:
        return ", ".join(r.name for r in self.roles)


@dataclass(frozen=True)
class DecisionView:
    """A category's 'Can I fix it now?' aid: a tree per frontline team, then what happens
    when the SLA target is missed."""

    id: str
    name: str
    trees: tuple[DecisionTree, ...]
    breach: Question | None = None
    skeleton: Skeleton = field(default_factory=lambda: Skeleton(()), compare=False, repr=False)

    def questions(self) -> Iterator[Question]:
        for tree in self.trees:
            yield from tree.questions
        if self.breach is not None:
            yield self.breach


def _shared_level(roles: tuple[RoleView, ...]) -> str:
    captions = {r.caption for r in roles}
    return captions.pop() if len(captions) == 1 else ""


def team_title(view: PlaybookView, group: str) -> str:
    """'In store', 'Agents (call, chat, email)', or the team's name for other groups."""
    words = view.words
    if group == "store":
        return words._("In store")
    if group == "bpo":
        return words._("Agents (call, chat, email)")
    return words.group_name(group)


def decision(view: PlaybookView, category: CategoryView) -> DecisionView:
    """The decision aid of ``category``, worded for ``view``'s readers."""
    words = view.words
    item = category.item
    assert item is not None
    bones = skeleton(view.playbook, item)
    forbidden = {f.type.id for f in category.forbidden}
    nobody = words._("No one is named for this in the playbook.")

    def caps(role_id: str) -> tuple[Cap, ...]:
        limits = view.goodwill([role_id])
        return tuple(c for c in limits[0].caps if c.type.id not in forbidden) if limits else ()

    trees = []
    for team in bones.teams:
        roles = view.roles(team.roles)
        steps = tuple(category.steps[i] for i in team.steps if i < len(category.steps))
        own = tuple(category.steps[i] for i in team.own if i < len(category.steps))
        questions = []
        needs = category.qualification
        unqualified = needs is not None and not any(r.holds(needs.id) for r in roles)
        first = own if not steps else steps if unqualified else ()
        numbers = {id(category.steps[i]): i + 1 for i in team.own if i < len(category.steps)}
        if steps and not unqualified:
            doers = tuple(dict.fromkeys(s.owner for s in steps if s.owner is not None))
            doer = Action(
                "do",
                words._("Do it yourself:"),
                doers,
                steps=steps,
                numbers=tuple(numbers[id(s)] for s in steps),
            )
            yes: tuple[Answer, ...] = (Answer(words._("Yes"), doer),)
        else:
            yes = ()
        hand = team.handover
        if hand is not None:
            owners = view.roles(hand.roles)
            targets: tuple[EscalationTarget, ...] = ()
            if hand.entry is not None and hand.entry < len(category.path):
                entry = category.path[hand.entry]
                if entry.branched:
                    targets = tuple(t for t in entry.targets if t.role_id in hand.roles)
            contacts = [r.contact for r in owners if r.contact]
            away = Action(
                "handover",
                words._(
                    "Hand over to %(names)s", names=words.join((r.name for r in owners), alternatives=True)
                ),
                owners,
                _shared_level(owners),
                hand.when,
                steps=first,
                numbers=tuple(numbers[id(s)] for s in first),
                targets=targets,
                contact=contacts[0] if len(contacts) == 1 else "",
                qualification=needs if unqualified else None,
            )
        else:
            away = Action("handover", nobody, steps=first, numbers=tuple(numbers[id(s)] for s in first))
        questions.append(
            Question("fix", words._("Can you fix it on the spot?"), (*yes, Answer(words._("No"), away)))
        )
        gift = team.goodwill
        if gift is not None:
            giver = view.role(gift.giver)
            answers = []
            if gift.has_caps and giver is not None:
                answers.append(
                    Answer(
                        words._("Up to your limit"),
                        Action(
                            "give",
                            words._("Give it yourself, per case up to:"),
                            (giver,),
                            caps=caps(giver.id),
                        ),
                    )
                )
            helper = view.role(gift.role) if gift.role is not None else None
            if helper is not None:
                ask = Action(
                    "ask",
                    words._("Ask %(name)s, who may give per case up to:", name=helper.name),
                    (helper,),
                    helper.caption,
                    caps=caps(helper.id),
                    contact="" if hand is not None and helper.id in hand.roles else helper.contact or "",
                )
            else:
                ask = Action("ask", nobody)
            answers.append(Answer(words._("More than that") if gift.has_caps else words._("Yes"), ask))
            questions.append(
                Question("goodwill", words._("Does the customer need goodwill?"), tuple(answers))
            )
        trees.append(DecisionTree(team.group, team_title(view, team.group), roles, tuple(questions)))
    breach = None
    if bones.breaches:
        answers = []
        for b in bones.breaches:
            level = view.level(b.level)
            owners = view.roles(b.roles)
            caption = level.caption if level is not None else b.level
            told = view.roles(b.notify)
            names = words.join(r.name for r in told)
            text = (
                words._("Escalates to %(level)s; %(names)s told.", level=caption, names=names)
                if owners
                else nobody
            )
            label = words._("At %(percent)s", percent=words.percent(b.at_percent))
            answers.append(Answer(label, Action("breach", text, owners, caption, told=told)))
        breach = Question("breach", words._("Is the SLA target missed?"), tuple(answers))
    return DecisionView(category.id, category.name, tuple(trees), breach, bones)
