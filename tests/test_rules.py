"""Every consistency rule, on small playbooks: the base playbook in tests/rules/base passes
every rule; each case changes a few lines of it and lists every problem the check reports,
as (file, line, column, rule id)."""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from playbookgen.check import check
from playbookgen.model import load_playbook
from playbookgen.rules import RULES
from playbookgen.translation_files import dump
from playbookgen.translations import Language, texts, translation_path

from .conftest import apply_edits

BASE = Path(__file__).resolve().parent / "rules" / "base"

Replacements = list[tuple[str, str]]
Found = tuple[str, int, int, str]


@dataclass(frozen=True)
class Case:
    """A change to the base playbook and every problem it must produce (none for a passing case).

    ``changes`` maps a file to its new text, to ``None`` (delete it), or to a list of
    (old, new) replacements, each old text occurring exactly once in the file."""

    rule: str
    name: str
    changes: dict[str, str | Replacements | None]
    expected: list[Found] = field(default_factory=list)
    message: str = ""
    """A part of the first problem's message, when the case checks what the message says."""


def build(root: Path, changes: dict[str, str | Replacements | None]) -> Path:
    """A copy of the base playbook at ``root`` with ``changes`` applied."""
    shutil.copytree(BASE, root)
    for name, change in changes.items():
        target = root / name
        if change is None:
            target.unlink()
        elif isinstance(change, str):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(change).lstrip("\n"), encoding="utf-8")
        else:
            apply_edits(root, {name: change})
    return root


def found(root: Path) -> list[Found]:
    return [(p.path, p.line, p.column, p.rule) for p in check(root).problems if p.suppressed is None]


STORE_CHANNEL = """
  - id: store
    name: Store
    family: offline
    mode: in-person
    calendar: office
    handled_by: [agent]
"""
SECOND_MODULE = """
id: advanced
title: Advanced service
summary: After the basics.
audience: [agent]
delivery: classroom
duration: PT1H
prerequisites: [basics]
objectives:
  - id: calm
    text: Calm an angry customer.
sections:
  - id: practice
    title: Practice
    duration: PT1H
    objectives: [calm]
    content: Role plays.
quiz:
  pass_mark: 80
  questions:
    - {id: q1, type: true-false, prompt: Shouting back helps., answer: false}
"""
NEW_FORM = """
id: audit
title: Store audit
purpose: Check the store.
owner: lead
activity: close
sections:
  - id: checks
    title: Checks
    fields:
      - {id: tidy, label: Tidy, type: checkbox}
"""
CHAT_CALENDARS = """
calendars:
  - id: office
    name: Office hours
    timezone: Europe/Amsterdam
    hours:
      - days: [mon, tue, wed, thu, fri]
        open: "09:00"
        close: "17:00"
    holidays:
      - date: "2026-12-25"
        name: Christmas Day
  - id: always
    name: Around the clock
    timezone: Europe/Amsterdam
    always_open: true
  - id: chat-hours
    name: Chat hours
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri, sat, sun], open: "08:00", close: "24:00"}
  - id: amsterdam-days
    name: Amsterdam team
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri, sat, sun], open: "08:00", close: "22:00"}
  - id: manila-nights
    name: Manila team
    timezone: Asia/Manila
    hours:
      - {days: [mon, tue, wed, thu, fri, sat, sun], open: "04:00", close: "08:00"}
"""
CHAT_CHANNEL = """    handled_by: [agent]
  - id: chat
    name: Chat
    family: online
    mode: live
    calendar: chat-hours
    handled_by: [agent]
    coverage:
      - {team: Amsterdam team, calendar: amsterdam-days, roles: [agent]}
      - {team: Manila team, calendar: manila-nights, roles: [agent]}
"""
FAST_POLICY = """  - id: fast
    name: Fast
    targets:
      - {priority: p1, clock: calendar, calendar: always, first_response: PT30M, update: PT1H,
         resolution: PT4H}
      - {priority: p2, clock: business, calendar: office, first_response: PT2H, update: PT4H,
         resolution: PT4H}
"""
NEW_ROLE = """
  - id: trainer
    name: Trainer
    group: case-team
    description: Trains agents.
"""


WRONG_ITEM = (
    (BASE / "categories" / "missing-item.yaml")
    .read_text(encoding="utf-8")
    .replace("id: missing-item\nname: Missing item", "id: wrong-item\nname: Wrong item")
)
LATE_DELIVERY = WRONG_ITEM.replace(
    "id: wrong-item\nname: Wrong item", "id: late-delivery\nname: Late delivery"
)
CATEGORY_FIELD = "      - {{id: category, label: Category, type: choice, {options}}}\n"

STORE_UNSUPPORTED: Found = ("channels.yaml", 8, 9, "support-hours")
"""An offline channel added without a support contact: support-hours warns."""
SHOP_CHANNEL = """channels:
  - id: shop
    name: Shop
    family: offline
    mode: in-person
    calendar: shop-hours
    handled_by: [agent]
"""
SHOP_CALENDAR = """calendars:
  - id: shop-hours
    name: Shop hours
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri, sat], open: "09:00", close: "18:00"}
    holidays:
      - {date: "2026-12-25", name: Christmas Day}
"""
SATURDAY_CALENDAR = """  - id: saturdays
    name: Saturdays
    timezone: Europe/Amsterdam
    hours:
      - {days: [sat], open: "08:00", close: "20:00"}
"""
SHOP_SUPPORT = """contacts:
  - {{id: shop-help, name: Shop help, phone: "+31 20 555 0101", audience: staff,
     calendar: {calendar}, supports: [shop]}}
"""

SHOP_LATE_OPENING = """    special_hours:
      - {date: "2026-11-27", name: Black Friday late opening, open: "09:00", close: "22:00"}
"""
SHOP_SUPPORT_CALENDAR = """  - id: shop-support
    name: Shop support line
    timezone: Europe/Amsterdam
    hours:
      - {days: [mon, tue, wed, thu, fri, sat], open: "09:00", close: "18:00"}
"""

CASES: list[Case] = [
    # orphaned-item
    Case(
        "orphaned-item",
        "unused-form",
        {"forms/audit.yaml": NEW_FORM},
        [("forms/audit.yaml", 1, 5, "orphaned-item")],
    ),
    Case(
        "orphaned-item",
        "unused-script",
        {
            "recovery/spare.yaml": (BASE / "recovery/missing-item-email.yaml")
            .read_text()
            .replace("missing-item-email", "spare")
        },
        [("recovery/spare.yaml", 1, 5, "orphaned-item")],
        "no category uses the recovery script 'spare'",
    ),
    Case(
        "orphaned-item",
        "role-without-raci",
        {
            "roles.yaml": [
                (
                    "    description: Owns the service.\n",
                    "    description: Owns the service.\n" + NEW_ROLE.lstrip("\n"),
                )
            ]
        },
        [("roles.yaml", 29, 9, "orphaned-item")],
    ),
    Case(
        "orphaned-item",
        "form-used-only-as-closure-form",
        {"categories/missing-item.yaml": [("forms: [closure]\n", "")]},
    ),
    # policy-reference
    Case(
        "policy-reference",
        "unknown-policy",
        {"categories/missing-item.yaml": [("policy.return-window-days", "policy.return-days")]},
        [("categories/missing-item.yaml", 5, 14, "policy-reference")],
        "did you mean '{{ policy.return-window-days }}'?",
    ),
    Case(
        "policy-reference",
        "braces-that-are-not-a-policy",
        {"categories/missing-item.yaml": [("summary: An item", "summary: Call {{ hotline }}, an item")]},
        [("categories/missing-item.yaml", 4, 10, "policy-reference")],
        "'{{ hotline }}' is never filled in",
    ),
    Case(
        "policy-reference",
        "reference-in-a-list-without-spaces",
        {
            "categories/missing-item.yaml": [
                ("  - My parcel", "  - Within {{policy.return-window-days}} my parcel")
            ]
        },
    ),
    # unsafe-link
    Case(
        "unsafe-link",
        "javascript-link",
        {
            "categories/missing-item.yaml": [
                ("description: Returns", "description: See [portal](javascript:alert(1)). Returns")
            ]
        },
        [("categories/missing-item.yaml", 5, 14, "unsafe-link")],
        "the link 'portal' goes to 'javascript:alert(1', which is not allowed",
    ),
    Case(
        "unsafe-link",
        "data-link-in-a-script",
        {
            "recovery/missing-item-email.yaml": [
                ("guidance: Thank the customer.", "guidance: '[Form](data:text/html,x)'")
            ]
        },
        [("recovery/missing-item-email.yaml", 18, 15, "unsafe-link")],
    ),
    Case(
        "unsafe-link",
        "reference-definition",
        {
            "categories/missing-item.yaml": [
                (
                    "description: Returns",
                    "description: |\n  Open [the portal][evil].\n\n"
                    "  [evil]: javascript:alert(1)\n\n  Returns",
                )
            ]
        },
        [("categories/missing-item.yaml", 5, 14, "unsafe-link")],
        "the link reference '[evil]' goes to 'javascript:alert(1)', which is not allowed",
    ),
    Case(
        "unsafe-link",
        "reference-definition-on-two-lines-in-a-script",
        {
            "recovery/missing-item-email.yaml": [
                (
                    "guidance: Thank the customer.",
                    "guidance: |\n      Send the [Form][f].\n\n         [f]:\n      DATA:text/html,x",
                )
            ]
        },
        [("recovery/missing-item-email.yaml", 18, 15, "unsafe-link")],
        "the link reference '[f]' goes to 'DATA:text/html,x'",
    ),
    Case(
        "unsafe-link",
        "safe-reference-definitions",
        {
            "categories/missing-item.yaml": [
                (
                    "description: Returns",
                    "description: |\n  See [the portal][a] and [the SLA][b].\n\n"
                    "  [a]: https://returns.example\n  [b]: ../sla.md\n\n  Returns",
                )
            ]
        },
    ),
    Case(
        "unsafe-link",
        "web-mail-phone-and-relative-links",
        {
            "categories/missing-item.yaml": [
                (
                    "description: Returns",
                    "description: See [a](https://x.example), [b](mailto:help@basegoods.nl), "
                    "[c](tel:+31205550100), [d](../returns.md). Returns",
                )
            ]
        },
    ),
    # duplicate-part-id
    Case(
        "duplicate-part-id",
        "form-field-twice",
        {"forms/closure.yaml": [("- id: action", "- id: root-cause")]},
        [("forms/closure.yaml", 14, 13, "duplicate-part-id")],
        "the field 'root-cause' already is used on line 10",
    ),
    Case(
        "duplicate-part-id",
        "root-cause-code-twice",
        {
            "categories/missing-item.yaml": [
                ("rca_required", "  - code: WH-PICK\n    description: Again.\nrca_required")
            ]
        },
        [("categories/missing-item.yaml", 34, 11, "duplicate-part-id")],
    ),
    Case(
        "duplicate-part-id",
        "same-id-in-different-parts",
        {"training/basics.yaml": [("  - id: q2", "  - id: intro")]},
    ),
    # personal-data
    Case(
        "personal-data",
        "mobile-and-email",
        {
            "categories/missing-item.yaml": [
                (
                    "description: Returns",
                    "description: Call Sanne on +31 6 1234 5678 or sanne@basegoods.nl. Returns",
                )
            ]
        },
        [("categories/missing-item.yaml", 5, 14, "personal-data")] * 2,
        "the email address 'sanne@basegoods.nl' is not an official contact",
    ),
    Case(
        "personal-data",
        "us-style-number-in-a-role",
        {"roles.yaml": [("Answers customer emails.", "Answers emails; cover phone 555-867-5309.")]},
        [("roles.yaml", 17, 18, "personal-data")],
    ),
    Case(
        "personal-data",
        "official-contacts-dates-orders-and-placeholders",
        {
            "categories/missing-item.yaml": [
                (
                    "description: Returns",
                    "description: Call 020 555 0100 or write to HELP@basegoods.nl (e.g. name@example.com). "
                    "Since 2026-01-01, order 12345678, see https://basegoods.nl/o/0612345678. Returns",
                )
            ]
        },
    ),
    # sla-metric-order
    Case(
        "sla-metric-order",
        "first-response-after-update",
        {"sla.yaml": [("first_response: PT4H", "first_response: PT9H")]},
        [("sla.yaml", 15, 17, "sla-metric-order")],
        "the update target (PT8H) is shorter than the first response target (PT9H) for p2",
    ),
    Case(
        "sla-metric-order",
        "update-after-resolution-in-business-days",
        {"sla.yaml": [("update: PT8H", "update: P3D")]},
        [("sla.yaml", 16, 21, "sla-metric-order")],
    ),
    Case(
        "sla-metric-order",
        "equal-targets-and-a-business-day",
        {
            "sla.yaml": [
                ("first_response: PT4H", "first_response: PT8H"),
                ("resolution: P2D", "resolution: P1D"),
            ]
        },
    ),
    # sla-priority-monotone
    Case(
        "sla-priority-monotone",
        "p1-resolves-slower-than-p2",
        {"sla.yaml": [("resolution: PT8H", "resolution: P3D")]},
        [("categories/missing-item.yaml", 13, 27, "fcr-sla"), ("sla.yaml", 10, 21, "sla-priority-monotone")],
        "p1 allows P3D on the calendar clock for resolution, longer than the lower priority p2",
    ),
    Case(
        "sla-priority-monotone",
        "a-calendar-day-is-shorter-than-ten-business-hours",
        {"sla.yaml": [("resolution: PT8H", "resolution: P1D"), ("resolution: P2D", "resolution: PT10H")]},
    ),
    # sla-priority-coverage
    Case(
        "sla-priority-coverage",
        "priority-missing",
        {
            "sla.yaml": [
                (
                    "      - priority: p2\n        clock: business\n        calendar: office\n"
                    "        first_response: PT4H\n        update: PT8H\n        resolution: P2D\n",
                    "",
                )
            ]
        },
        [("sla.yaml", 4, 5, "sla-priority-coverage")],
        "the SLA policy 'standard' has no target for p2 (Normal)",
    ),
    Case(
        "sla-priority-coverage",
        "priority-twice",
        {"sla.yaml": [("- priority: p2", "- priority: p1")]},
        [
            ("sla.yaml", 4, 5, "sla-priority-coverage"),
            ("sla.yaml", 11, 19, "sla-priority-coverage"),
            ("sla.yaml", 12, 16, "calendar-always-on"),
        ],
    ),
    Case(
        "sla-priority-coverage",
        "targets-in-any-order",
        {
            "sla.yaml": """
            policies:
              - id: standard
                name: Standard
                targets:
                  - {priority: p2, clock: business, calendar: office,
                     first_response: PT4H, update: PT8H, resolution: P2D}
                  - {priority: p1, clock: calendar, calendar: always,
                     first_response: PT1H, update: PT2H, resolution: PT8H}
            """
        },
    ),
    # sla-zero-duration
    Case(
        "sla-zero-duration",
        "zero-and-absurd",
        {
            "sla.yaml": [
                ("first_response: PT1H", "first_response: PT0M"),
                ("resolution: P2D", "resolution: P200D"),
            ]
        },
        [("sla.yaml", 8, 25, "sla-zero-duration"), ("sla.yaml", 16, 21, "sla-zero-duration")],
    ),
    Case(
        "sla-zero-duration",
        "zero-step-deadline",
        {"categories/missing-item.yaml": [("within: PT1H", "within: P0D")]},
        [("categories/missing-item.yaml", 19, 13, "sla-zero-duration")],
        "P0D is no time at all",
    ),
    Case("sla-zero-duration", "sixty-business-days", {"sla.yaml": [("resolution: P2D", "resolution: P60D")]}),
    # sla-warning-order
    Case(
        "sla-warning-order",
        "reminders-and-escalations-out-of-order",
        {"sla.yaml": [("at_percent: 75", "at_percent: 50"), ("level: l3", "level: l2")]},
        [("sla.yaml", 20, 21, "sla-warning-order"), ("sla.yaml", 27, 16, "sla-warning-order")],
    ),
    Case(
        "sla-warning-order",
        "escalation-not-later",
        {"sla.yaml": [("at_percent: 150", "at_percent: 100")]},
        [("sla.yaml", 26, 21, "sla-warning-order")],
    ),
    Case(
        "sla-warning-order",
        "far-apart",
        {"sla.yaml": [("at_percent: 75", "at_percent: 99"), ("at_percent: 150", "at_percent: 1000")]},
    ),
    # priority-matrix-complete
    Case(
        "priority-matrix-complete",
        "cell-missing",
        {"priorities.yaml": [("  - {impact: low, urgency: low, priority: p2}\n", "")]},
        [
            ("priorities.yaml", 9, 10, "priority-matrix-complete"),
            ("priorities.yaml", 10, 1, "priority-matrix-complete"),
        ],
        "no cell of the matrix gives the priority p2",
    ),
    Case(
        "priority-matrix-complete",
        "cell-twice",
        {
            "priorities.yaml": [
                ("{impact: low, urgency: low, priority: p2}", "{impact: low, urgency: high, priority: p2}")
            ]
        },
        [
            ("priorities.yaml", 10, 1, "priority-matrix-complete"),
            ("priorities.yaml", 14, 5, "priority-matrix-complete"),
        ],
    ),
    Case(
        "priority-matrix-complete",
        "cells-in-any-order",
        {
            "priorities.yaml": [
                ("  - {impact: high, urgency: high, priority: p1}\n", ""),
                (
                    "urgency: low, priority: p2}\n",
                    "urgency: low, priority: p2}\n  - {impact: high, urgency: high, priority: p1}\n",
                ),
            ]
        },
    ),
    # priority-matrix-monotone
    Case(
        "priority-matrix-monotone",
        "more-impact-lower-priority",
        {
            "priorities.yaml": [
                ("urgency: low, priority: p1}", "urgency: low, priority: p2}"),
                ("{impact: low, urgency: low, priority: p2}", "{impact: low, urgency: low, priority: p1}"),
            ]
        },
        [("priorities.yaml", 12, 44, "priority-matrix-monotone")],
        "more impact may never lower the priority — make it p1 or higher",
    ),
    Case(
        "priority-matrix-monotone",
        "same-priority-is-fine",
        {"priorities.yaml": [("urgency: low, priority: p1}", "urgency: low, priority: p2}")]},
    ),
    # helpdesk-mapping
    Case(
        "helpdesk-mapping",
        "twice-and-shared",
        {
            "helpdesk.yaml": """
                priorities:
                  - {priority: p1, level: urgent}
                  - {priority: p2, level: urgent}
                  - {priority: p1, level: low}
                channels:
                  - {channel: email, zendesk: [Mail]}
                  - {channel: website, zendesk: [Web form, mail]}
            """
        },
        [
            ("helpdesk.yaml", 3, 27, "helpdesk-mapping"),
            ("helpdesk.yaml", 4, 16, "helpdesk-mapping"),
            ("helpdesk.yaml", 7, 44, "helpdesk-mapping"),
        ],
        "'p1' is already mapped to urgent (line 2)",
    ),
    Case(
        "helpdesk-mapping",
        "one-to-one",
        {
            "helpdesk.yaml": """
                priorities:
                  - {priority: p1, level: urgent}
                  - {priority: p2, level: normal}
                channels:
                  - {channel: email, zendesk: [Mail], freshdesk: [Email]}
                  - {channel: website, zendesk: [Web form], freshdesk: [Portal]}
            """
        },
    ),
    # unique-ranks
    Case(
        "unique-ranks",
        "two-priorities-rank-1",
        {"priorities.yaml": [("{id: p2, rank: 2", "{id: p2, rank: 1")]},
        [("priorities.yaml", 9, 20, "unique-ranks"), ("sla.yaml", 12, 16, "calendar-always-on")],
        "rank 1 is already used by the priority 'p1' (line 8)",
    ),
    Case("unique-ranks", "gaps-are-fine", {"priorities.yaml": [("{id: p2, rank: 2", "{id: p2, rank: 5")]}),
    # calendar-valid
    Case(
        "calendar-valid",
        "zone-interval-and-date",
        {
            "calendars.yaml": [
                ("timezone: Europe/Amsterdam\n    hours", "timezone: Europe/Amsterdm\n    hours"),
                ('open: "09:00"\n        close: "17:00"', 'open: "17:00"\n        close: "09:00"'),
                ("2026-12-25", "2026-02-30"),
            ],
            "playbook.yaml": [("timezone: Europe/Amsterdam", "timezone: Mars/Olympus")],
        },
        [
            ("calendars.yaml", 4, 15, "calendar-valid"),
            ("calendars.yaml", 8, 16, "calendar-valid"),
            ("calendars.yaml", 10, 15, "calendar-valid"),
            ("playbook.yaml", 7, 11, "calendar-valid"),
        ],
        "'Europe/Amsterdm' is not an IANA time zone; did you mean 'Europe/Amsterdam'?",
    ),
    Case(
        "calendar-valid",
        "overlap-and-holiday-twice",
        {
            "calendars.yaml": [
                (
                    'close: "17:00"\n',
                    'close: "17:00"\n      - days: [fri, sat]\n        open: "16:00"\n'
                    '        close: "18:00"\n',
                ),
                (
                    "        name: Christmas Day\n",
                    '        name: Christmas Day\n      - date: "2026-12-25"\n        name: Again\n',
                ),
            ]
        },
        [("calendars.yaml", 9, 9, "calendar-valid"), ("calendars.yaml", 15, 15, "calendar-valid")],
        "09:00–17:00 (line 6) and 16:00–18:00 overlap on fri",
    ),
    Case(
        "calendar-valid",
        "special-hours-on-a-holiday-eve",
        {
            "calendars.yaml": [
                (
                    "        name: Christmas Day\n",
                    "        name: Christmas Day\n    special_hours:\n"
                    '      - {date: "2026-12-24", name: Christmas Eve, open: "09:00", close: "13:00"}\n'
                    '      - {date: "2026-11-28", name: Sale Saturday, open: "10:00", close: "22:00"}\n',
                )
            ]
        },
    ),
    Case(
        "calendar-valid",
        "special-hours-twice-backwards-and-on-a-holiday",
        {
            "calendars.yaml": [
                (
                    "        name: Christmas Day\n",
                    "        name: Christmas Day\n    special_hours:\n"
                    '      - {date: "2026-12-24", name: Christmas Eve, open: "13:00", close: "09:00"}\n'
                    '      - {date: "2026-12-24", name: Christmas Eve, open: "09:00", close: "13:00"}\n'
                    '      - {date: "2026-12-25", name: Christmas Day, open: "10:00", close: "12:00"}\n',
                )
            ]
        },
        [
            ("calendars.yaml", 13, 73, "calendar-valid"),
            ("calendars.yaml", 14, 16, "calendar-valid"),
            ("calendars.yaml", 15, 16, "calendar-valid"),
        ],
        "closes at 09:00, not after it opens (13:00)",
    ),
    Case(
        "calendar-valid",
        "hours-and-always-open",
        {
            "calendars.yaml": [
                (
                    "    always_open: true\n",
                    "    always_open: true\n    hours:\n"
                    "      - {days: [mon], open: '00:00', close: '24:00'}\n",
                )
            ]
        },
        [("calendars.yaml", 16, 5, "calendar-valid")],
    ),
    Case(
        "calendar-valid",
        "until-midnight-and-back-to-back",
        {
            "calendars.yaml": [
                (
                    'close: "17:00"\n',
                    'close: "12:00"\n      - days: [mon, tue, wed, thu, fri]\n        open: "12:00"\n'
                    '        close: "24:00"\n',
                )
            ]
        },
    ),
    # calendar-always-on
    Case(
        "calendar-always-on",
        "24-7-channel-on-office-hours",
        {"channels.yaml": [("calendar: always", "calendar: office")]},
        [("channels.yaml", 12, 15, "calendar-always-on")],
        "the channel is answered 24/7 (always_on: true) but its calendar 'office' is open Mon–Fri",
    ),
    Case(
        "calendar-always-on",
        "top-priority-on-business-hours",
        {
            "sla.yaml": [
                ("clock: calendar\n        calendar: always", "clock: business\n        calendar: office")
            ]
        },
        [("sla.yaml", 6, 16, "calendar-always-on")],
    ),
    Case(
        "calendar-always-on",
        "business-clock-on-an-always-open-calendar",
        {
            "sla.yaml": [
                ("clock: calendar\n        calendar: always", "clock: business\n        calendar: always")
            ]
        },
    ),
    Case(
        "calendar-always-on",
        "top-priority-resolution-on-its-own-business-clock",
        {
            "sla.yaml": [
                (
                    "        resolution: PT8H\n",
                    "        resolution: PT8H\n        clocks:\n"
                    "          resolution: {clock: business, calendar: office}\n",
                )
            ]
        },
        [("sla.yaml", 12, 31, "calendar-always-on")],
        "the top priority p1 runs its resolution on the business clock of 'office'",
    ),
    Case(
        "calendar-always-on",
        "first-response-around-the-clock-resolution-in-office-hours",
        {
            "sla.yaml": [
                (
                    "        resolution: P2D\n",
                    "        resolution: P2D\n        clocks:\n"
                    "          first_response: {clock: calendar, calendar: always}\n",
                )
            ]
        },
    ),
    # sla-variants
    Case(
        "sla-variants",
        "gold-tier-and-email-get-faster-policies",
        {
            "sla.yaml": [
                ("policies:\n", "tiers:\n  - {id: gold, name: Gold members}\npolicies:\n"),
                (
                    "        notify: [head]\n",
                    "        notify: [head]\n"
                    "    variants:\n"
                    "      - {tier: gold, sla_policy: fast}\n"
                    "      - {channels: [email], sla_policy: fast}\n" + FAST_POLICY,
                ),
            ]
        },
    ),
    Case(
        "sla-variants",
        "variant-for-nobody-twice-and-slower-tier",
        {
            "sla.yaml": [
                ("policies:\n", "tiers:\n  - {id: gold, name: Gold members}\npolicies:\n"),
                (
                    "        notify: [head]\n",
                    "        notify: [head]\n"
                    "    variants:\n"
                    "      - {sla_policy: fast}\n"
                    "      - {tier: gold, sla_policy: slow}\n"
                    "      - {tier: gold, sla_policy: fast}\n"
                    "      - {channels: [email], sla_policy: standard}\n"
                    + FAST_POLICY
                    + FAST_POLICY.replace("id: fast", "id: slow").replace(
                        "resolution: PT4H", "resolution: P3D"
                    ),
                ),
            ]
        },
        [
            ("sla.yaml", 32, 9, "sla-variants"),
            ("sla.yaml", 33, 34, "sla-variants"),
            ("sla.yaml", 34, 9, "sla-variants"),
            ("sla.yaml", 35, 41, "sla-variants"),
        ],
        "the variant does not say whom it is for",
    ),
    # channel-coverage
    Case(
        "channel-coverage",
        "amsterdam-by-day-manila-by-night",
        {
            "calendars.yaml": CHAT_CALENDARS,
            "channels.yaml": [("    handled_by: [agent]\n  - id: website", CHAT_CHANNEL + "  - id: website")],
        },
    ),
    Case(
        "channel-coverage",
        "manila-starts-late-in-summer-and-a-lead-not-handling",
        {
            "calendars.yaml": CHAT_CALENDARS.replace('open: "04:00"', 'open: "05:00"'),
            "channels.yaml": [
                (
                    "    handled_by: [agent]\n  - id: website",
                    CHAT_CHANNEL.replace("roles: [agent]}", "roles: [agent, lead]}") + "  - id: website",
                )
            ],
        },
        [
            ("channels.yaml", 14, 5, "channel-coverage"),
            ("channels.yaml", 15, 73, "channel-coverage"),
            ("channels.yaml", 16, 69, "channel-coverage"),
        ],
        "is open 29 March 2026 22:00–23:00 (Europe/Amsterdam) but no team in its coverage works then",
    ),
    # partner-deadlines
    Case(
        "partner-deadlines",
        "office-hours-targets-inside-a-four-day-reply-window",
        {
            "channels.yaml": [
                (
                    "    handled_by: [agent]\n  - id: website",
                    "    handled_by: [agent]\n    partner_deadlines: {partner: bol.com, reply: P4D, "
                    "dispute: P14D}\n  - id: website",
                )
            ]
        },
    ),
    Case(
        "partner-deadlines",
        "office-hours-targets-over-a-weekend",
        {
            "channels.yaml": [
                (
                    "    handled_by: [agent]\n  - id: website",
                    "    handled_by: [agent]\n    partner_deadlines: {partner: bol.com, reply: PT24H, "
                    "dispute: P3D}\n  - id: website",
                )
            ]
        },
        [("channels.yaml", 8, 50, "partner-deadlines"), ("channels.yaml", 8, 66, "partner-deadlines")],
        "bol.com allows 1 day, but on this channel the update target of p2 in 'standard' (PT8H in the "
        "opening hours of 'office') can take 72 hours",
    ),
    # module-materials
    Case(
        "module-materials",
        "every-printout-is-printed",
        {
            "training/basics.yaml": [
                (
                    "sections:\n",
                    "materials:\n  - Helpdesk in training mode\n"
                    "printouts:\n"
                    "  - {print: authority-matrix, note: A3 for the wall}\n"
                    "  - {print: form, id: closure}\n"
                    "  - {print: scorecard, id: contact-quality}\n"
                    "  - {print: playbook}\n"
                    "  - {print: handout, id: greetings}\n"
                    "handouts:\n"
                    "  - id: greetings\n"
                    "    title: Greeting cards\n"
                    "    cards:\n"
                    "      - {title: Card 1, text: A customer in a hurry.}\n"
                    "sections:\n",
                ),
                ("instructions: Greet three customers.", "instructions: Greet the customers on the cards."),
            ]
        },
    ),
    Case(
        "module-materials",
        "promised-cards-and-a3-matrix-nothing-prints",
        {
            "training/basics.yaml": [
                ("sections:\n", "materials:\n  - Authority matrix printed A3\nsections:\n"),
                (
                    "instructions: Greet three customers.",
                    "instructions: Greet the customers on the role-play cards.",
                ),
            ]
        },
        [
            ("training/basics.yaml", 11, 5, "module-materials"),
            ("training/basics.yaml", 20, 23, "module-materials"),
        ],
        "'Authority matrix printed A3' is to be on paper ('printed')",
    ),
    Case(
        "module-materials",
        "printouts-nothing-prints",
        {
            "training/basics.yaml": [
                (
                    "sections:\n",
                    "printouts:\n"
                    "  - {print: form, id: intake}\n"
                    "  - {print: cheat-sheet}\n"
                    "  - {print: handout, id: cards}\n"
                    "handouts:\n"
                    "  - {id: blank, title: Blank page}\n"
                    "sections:\n",
                )
            ]
        },
        [
            ("training/basics.yaml", 11, 23, "module-materials"),
            ("training/basics.yaml", 12, 5, "module-materials"),
            ("training/basics.yaml", 13, 26, "module-materials"),
            ("training/basics.yaml", 15, 5, "module-materials"),
        ],
        "there is no form 'intake' to print; use one of: closure",
    ),
    # support-hours
    Case(
        "support-hours",
        "store-open-on-saturday-support-on-office-hours",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [("calendars:\n", SHOP_CALENDAR)],
            "playbook.yaml": [("contacts:\n", SHOP_SUPPORT.format(calendar="office"))],
        },
        [("channels.yaml", 6, 15, "support-hours")],
        "the channel 'shop' is open Mon–Fri 17:00–18:00, Sat 09:00–18:00 while none of its support contacts",
    ),
    Case(
        "support-hours",
        "support-covers-the-store-with-two-contacts",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [("calendars:\n", SHOP_CALENDAR + SATURDAY_CALENDAR)],
            "playbook.yaml": [
                (
                    "contacts:\n",
                    SHOP_SUPPORT.format(calendar="shop-hours")
                    + SHOP_SUPPORT.replace("shop-help", "shop-weekend")
                    .replace("contacts:\n", "")
                    .format(calendar="saturdays"),
                )
            ],
        },
    ),
    Case(
        "support-hours",
        "store-open-late-on-black-friday-support-line-not",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [("calendars:\n", SHOP_CALENDAR + SHOP_LATE_OPENING + SHOP_SUPPORT_CALENDAR)],
            "playbook.yaml": [("contacts:\n", SHOP_SUPPORT.format(calendar="shop-support"))],
        },
        [("calendars.yaml", 10, 16, "support-hours")],
        "on 27 November 2026 (Black Friday late opening) the channel 'shop' is open 18:00–22:00 while "
        "its support contacts ('shop-help') are not staffed",
    ),
    Case(
        "support-hours",
        "support-line-closed-on-a-holiday-the-store-opens",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [
                (
                    "calendars:\n",
                    SHOP_CALENDAR
                    + SHOP_SUPPORT_CALENDAR
                    + '    holidays:\n      - {date: "2026-12-26", name: Second Christmas Day}\n',
                )
            ],
            "playbook.yaml": [("contacts:\n", SHOP_SUPPORT.format(calendar="shop-support"))],
        },
        [("calendars.yaml", 15, 16, "support-hours")],
        "on 26 December 2026 (Second Christmas Day) the channel 'shop' is open 09:00–18:00 while its "
        "support contacts ('shop-help') are closed for the holiday",
    ),
    Case(
        "support-hours",
        "support-line-matches-the-late-opening-and-closes-with-the-store",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [
                (
                    "calendars:\n",
                    SHOP_CALENDAR
                    + SHOP_LATE_OPENING
                    + SHOP_SUPPORT_CALENDAR
                    + SHOP_LATE_OPENING
                    + '    holidays:\n      - {date: "2026-12-25", name: Christmas Day}\n',
                )
            ],
            "playbook.yaml": [("contacts:\n", SHOP_SUPPORT.format(calendar="shop-support"))],
        },
    ),
    Case(
        "support-hours",
        "store-with-no-support-contact",
        {
            "channels.yaml": [("channels:\n", SHOP_CHANNEL)],
            "calendars.yaml": [("calendars:\n", SHOP_CALENDAR)],
        },
        [("channels.yaml", 2, 9, "support-hours")],
        "no staff contact supports the channel 'shop'",
    ),
    Case(
        "support-hours",
        "support-contact-without-calendar",
        {
            "playbook.yaml": [
                ("contacts:\n", "contacts:\n  - {id: desk, name: Desk, audience: staff, supports: [email]}\n")
            ]
        },
        [("channels.yaml", 6, 15, "support-hours"), ("playbook.yaml", 9, 45, "support-hours")],
        "the channel 'email' is open Mon–Fri 09:00–17:00 while none of its support contacts ('desk')",
    ),
    # form-category-options
    Case(
        "form-category-options",
        "hand-written-list-lacks-a-category",
        {
            "categories/wrong-item.yaml": WRONG_ITEM,
            "categories/late-delivery.yaml": LATE_DELIVERY,
            "forms/closure.yaml": [
                (
                    "    fields:\n",
                    "    fields:\n"
                    + CATEGORY_FIELD.format(options="options: [Missing item, Late delivery, Other]"),
                )
            ],
        },
        [("forms/closure.yaml", 10, 64, "form-category-options")],
        "the field 'category' lists case categories but not 'Wrong item'; write options_from: categories",
    ),
    Case(
        "form-category-options",
        "generated-from-categories",
        {
            "categories/wrong-item.yaml": WRONG_ITEM,
            "forms/closure.yaml": [
                (
                    "    fields:\n",
                    "    fields:\n"
                    + CATEGORY_FIELD.format(options="options_from: categories, options: [Other]"),
                )
            ],
        },
    ),
    # fcr-sla
    Case(
        "fcr-sla",
        "first-contact-category-with-two-day-sla",
        {"categories/missing-item.yaml": [("urgency: high", "urgency: low")]},
        [("categories/missing-item.yaml", 13, 27, "fcr-sla")],
        "its SLA policy 'standard' gives p2 P2D to resolve, more than one business day",
    ),
    Case(
        "fcr-sla",
        "one-business-day-is-same-day",
        {
            "categories/missing-item.yaml": [("urgency: high", "urgency: low")],
            "sla.yaml": [("resolution: P2D", "resolution: P1D")],
        },
    ),
    # raci-accountable
    Case(
        "raci-accountable",
        "nobody-accountable",
        {"raci.yaml": [("      lead: A\n", "      lead: R\n")]},
        [("raci.yaml", 4, 5, "raci-accountable")],
    ),
    Case(
        "raci-accountable",
        "two-accountable",
        {"raci.yaml": [("      agent: C\n", "      agent: A\n")]},
        [("raci.yaml", 13, 13, "raci-accountable")],
        "'head' is Accountable (A) for 'close' as well as 'agent'",
    ),
    Case("raci-accountable", "one-a-among-many", {"raci.yaml": [("      head: I\n", "      head: C\n")]}),
    # raci-responsible
    Case(
        "raci-responsible",
        "nobody-responsible",
        {"raci.yaml": [("      agent: R\n", "      agent: C\n")]},
        [("categories/missing-item.yaml", 16, 12, "owner-has-raci"), ("raci.yaml", 4, 5, "raci-responsible")],
    ),
    Case("raci-responsible", "several-responsible", {"raci.yaml": [("      head: I\n", "      head: R\n")]}),
    # raci-letters
    Case(
        "raci-letters",
        "not-a-raci-letter",
        {"raci.yaml": [("      agent: C\n", "      agent: X\n")]},
        [("raci.yaml", 11, 14, "raci-letters")],
    ),
    Case(
        "raci-letters",
        "two-letters",
        {"raci.yaml": [("      lead: R\n", "      lead: R/C\n")]},
        [("raci.yaml", 12, 13, "raci-letters")],
        "'R/C' is not one RACI letter",
    ),
    Case("raci-letters", "all-four-letters", {"raci.yaml": [("      head: I\n", "      head: C\n")]}),
    # owner-has-raci
    Case(
        "owner-has-raci",
        "step-owner-only-consulted",
        {
            "categories/missing-item.yaml": [
                ("    owner: lead\n    activity: close", "    owner: agent\n    activity: close")
            ]
        },
        [("categories/missing-item.yaml", 21, 12, "owner-has-raci")],
        "'agent' owns this but has no R or A on the activity 'close' in raci.yaml (it has C)",
    ),
    Case(
        "owner-has-raci",
        "form-owner-without-r-or-a",
        {"forms/closure.yaml": [("owner: lead", "owner: agent")]},
        [("forms/closure.yaml", 4, 8, "owner-has-raci")],
    ),
    Case(
        "owner-has-raci",
        "escalation-role-not-in-raci",
        {
            "roles.yaml": [
                (
                    "    description: Owns the service.\n",
                    "    description: Owns the service.\n" + NEW_ROLE.lstrip("\n"),
                )
            ],
            "categories/missing-item.yaml": [("  - role: head", "  - role: trainer")],
        },
        [("categories/missing-item.yaml", 26, 11, "owner-has-raci"), ("roles.yaml", 29, 9, "orphaned-item")],
    ),
    Case(
        "owner-has-raci",
        "accountable-owner",
        {
            "categories/missing-item.yaml": [
                ("    owner: agent\n    activity: intake", "    owner: lead\n    activity: intake")
            ]
        },
    ),
    # escalation-upward
    Case(
        "escalation-upward",
        "path-goes-down",
        {
            "categories/missing-item.yaml": [
                ("  - role: lead\n", "  - role: head\n"),
                ("  - role: head\n    when: The lead", "  - role: lead\n    when: The lead"),
            ]
        },
        [("categories/missing-item.yaml", 26, 11, "escalation-upward")],
        "'lead' works at level 2, not above 'head' (level 3) before it",
    ),
    Case(
        "escalation-upward",
        "path-repeats",
        {"categories/missing-item.yaml": [("forms:", "  - role: lead\n    when: Again.\nforms:")]},
        [("categories/missing-item.yaml", 28, 11, "escalation-upward")],
        "'lead' is already on this escalation path (line 24)",
    ),
    Case(
        "escalation-upward",
        "reporting-loop",
        {"roles.yaml": [("    level: l3\n", "    level: l3\n    reports_to: agent\n")]},
        [
            ("authority.yaml", 22, 19, "authority-monotone"),
            ("authority.yaml", 23, 23, "authority-monotone"),
            ("roles.yaml", 16, 17, "escalation-upward"),
            ("roles.yaml", 22, 17, "escalation-upward"),
            ("roles.yaml", 28, 17, "escalation-upward"),
        ],
        "the reporting line goes round in a circle (agent → lead → head → agent)",
    ),
    Case(
        "escalation-upward",
        "reports-to-a-lower-level",
        {
            "roles.yaml": [
                ("    level: l1\n    reports_to: lead\n", "    level: l3\n    reports_to: lead\n"),
                ("    level: l3\n    description: Owns", "    level: l1\n    description: Owns"),
            ]
        },
        [
            ("categories/missing-item.yaml", 26, 11, "escalation-upward"),
            ("roles.yaml", 16, 17, "escalation-upward"),
            ("roles.yaml", 22, 17, "escalation-upward"),
        ],
    ),
    Case(
        "escalation-upward",
        "one-step-path",
        {
            "categories/missing-item.yaml": [
                ("  - role: lead\n    when: The customer disputes the answer.\n", "")
            ]
        },
    ),
    # authority-monotone
    Case(
        "authority-monotone",
        "boss-may-grant-less",
        {"authority.yaml": [("per_case: 50", "per_case: 8")]},
        [("authority.yaml", 11, 19, "authority-monotone")],
        "'agent' may grant €10 of voucher per case, more than 'lead' (€8), whom it reports to",
    ),
    Case(
        "authority-monotone",
        "period-cap-below-case-cap",
        {"authority.yaml": [("per_customer: 20", "per_customer: 5")]},
        [("authority.yaml", 12, 23, "authority-monotone")],
    ),
    Case(
        "authority-monotone",
        "approver-without-limits",
        {
            "authority.yaml": [
                (
                    "  - role: head\n    caps:\n      - type: voucher\n        per_case: 200\n"
                    "        per_customer: 400\n",
                    "",
                )
            ]
        },
        [("authority.yaml", 14, 15, "authority-monotone")],
    ),
    Case(
        "authority-monotone",
        "equal-caps",
        {"authority.yaml": [("per_case: 50", "per_case: 10"), ("per_customer: 100", "per_customer: 20")]},
    ),
    # script-compensation-authority
    Case(
        "script-compensation-authority",
        "above-the-agents-cap",
        {"recovery/missing-item-email.yaml": [("amount: 10", "amount: 40")]},
        [("recovery/missing-item-email.yaml", 22, 13, "script-compensation-authority")],
        "€40 of voucher is more than 'agent' may give",
    ),
    Case(
        "script-compensation-authority",
        "approver-cap-too-low",
        {
            "recovery/missing-item-email.yaml": [
                ("amount: 10\n    when: Always.\n", "amount: 60\n    when: Always.\n    approved_by: lead\n")
            ]
        },
        [("recovery/missing-item-email.yaml", 24, 18, "script-compensation-authority")],
    ),
    Case(
        "script-compensation-authority",
        "approved-by-a-role-that-covers-it",
        {
            "recovery/missing-item-email.yaml": [
                ("amount: 10\n    when: Always.\n", "amount: 40\n    when: Always.\n    approved_by: lead\n")
            ]
        },
    ),
    Case(
        "script-compensation-authority",
        "resolving-step-owned-by-the-lead",
        {
            "recovery/missing-item-email.yaml": [
                ("amount: 10", "amount: 40"),
                ("  - stage: solve\n", "  - stage: solve\n    owner: lead\n"),
            ]
        },
    ),
    # script-framework-coverage
    Case(
        "script-framework-coverage",
        "foreign-stage-and-missing-stage",
        {"recovery/missing-item-email.yaml": [("stage: thank", "stage: diagnose")]},
        [
            ("recovery/missing-item-email.yaml", 5, 12, "script-framework-coverage"),
            ("recovery/missing-item-email.yaml", 17, 12, "script-framework-coverage"),
        ],
        "LAST has the stages listen, apologise, solve, thank, but this script has no step for thank",
    ),
    Case(
        "script-framework-coverage",
        "out-of-order",
        {
            "recovery/missing-item-email.yaml": [
                ("stage: listen", "stage: apologisX"),
                ("stage: apologise", "stage: listen"),
                ("stage: apologisX", "stage: apologise"),
            ]
        },
        [("recovery/missing-item-email.yaml", 11, 12, "script-framework-coverage")],
    ),
    Case(
        "script-framework-coverage",
        "two-steps-for-one-stage",
        {
            "recovery/missing-item-email.yaml": [
                (
                    "  - stage: thank",
                    "  - stage: solve\n    guidance: Confirm by email.\n"
                    '    say: ["You will get an email."]\n  - stage: thank',
                )
            ]
        },
    ),
    # recovery-coverage
    Case(
        "recovery-coverage",
        "store-without-script",
        {
            "channels.yaml": [
                (
                    "    handled_by: [agent]\n  - id: website",
                    "    handled_by: [agent]\n" + STORE_CHANNEL.lstrip("\n") + "  - id: website",
                )
            ],
            "categories/missing-item.yaml": [("channels: [email]", "channels: [email, store]")],
        },
        [("categories/missing-item.yaml", 30, 1, "recovery-coverage"), STORE_UNSUPPORTED],
        "handled on offline channels but none of its recovery scripts is for an offline channel",
    ),
    Case(
        "recovery-coverage",
        "needless-waivers",
        {
            "categories/missing-item.yaml": [
                (
                    "rca_required: true",
                    "rca_required: true\nrecovery_waivers:\n  - {family: online, reason: x}\n"
                    "  - {family: offline, reason: y}",
                )
            ]
        },
        [
            ("categories/missing-item.yaml", 36, 14, "recovery-coverage"),
            ("categories/missing-item.yaml", 37, 14, "recovery-coverage"),
        ],
    ),
    Case(
        "recovery-coverage",
        "waived-store",
        {
            "channels.yaml": [
                (
                    "    handled_by: [agent]\n  - id: website",
                    "    handled_by: [agent]\n" + STORE_CHANNEL.lstrip("\n") + "  - id: website",
                )
            ],
            "categories/missing-item.yaml": [
                ("channels: [email]", "channels: [email, store]"),
                (
                    "rca_required: true",
                    "rca_required: true\nrecovery_waivers:\n"
                    "  - {family: offline, reason: Stores use the email script.}",
                ),
            ],
        },
        [STORE_UNSUPPORTED],
    ),
    # cheat-sheet-scope
    Case(
        "cheat-sheet-scope",
        "offline-channel-on-an-online-sheet",
        {
            "channels.yaml": [("  - id: website", STORE_CHANNEL.lstrip("\n") + "  - id: website")],
            "playbook.yaml": [("channels: [email]", "channels: [email, store]")],
        },
        [STORE_UNSUPPORTED, ("playbook.yaml", 18, 23, "cheat-sheet-scope")],
    ),
    Case(
        "cheat-sheet-scope",
        "category-not-on-the-sheets-channels",
        {"playbook.yaml": [("channels: [email]", "channels: [website]")]},
        [("playbook.yaml", 19, 18, "cheat-sheet-scope")],
        "'missing-item' is not handled on any channel of this sheet (website)",
    ),
    Case(
        "cheat-sheet-scope",
        "role-does-not-answer-the-channel",
        {
            "channels.yaml": [
                (
                    "mode: self-service\n    calendar: always\n    always_on: true\n    handled_by: [agent]",
                    "mode: self-service\n    calendar: always\n    always_on: true\n    handled_by: [lead]",
                )
            ],
            "playbook.yaml": [("channels: [email]", "channels: [email, website]")],
        },
        [("playbook.yaml", 18, 23, "cheat-sheet-scope")],
    ),
    Case("cheat-sheet-scope", "sheet-without-channels", {"playbook.yaml": [("    channels: [email]\n", "")]}),
    # qa-weights
    Case(
        "qa-weights",
        "weights-add-up-to-90",
        {"qa/contact-quality.yaml": [("weight: 60", "weight: 50")]},
        [("qa/contact-quality.yaml", 6, 1, "qa-weights")],
        "the item weights add up to 90, not 100",
    ),
    Case(
        "qa-weights",
        "critical-without-fail-effect",
        {"qa/contact-quality.yaml": [("        fail_effect: zero-review\n", "")]},
        [("qa/contact-quality.yaml", 21, 19, "qa-weights")],
    ),
    Case(
        "qa-weights",
        "fail-effect-on-a-normal-item",
        {"qa/contact-quality.yaml": [("critical: true", "critical: false")]},
        [("qa/contact-quality.yaml", 22, 22, "qa-weights")],
    ),
    Case(
        "qa-weights",
        "fractional-weights",
        {"qa/contact-quality.yaml": [("weight: 40", "weight: 33.5"), ("weight: 60", "weight: 66.5")]},
    ),
    # qa-training-map
    Case(
        "qa-training-map",
        "unknown-objective",
        {
            "qa/contact-quality.yaml": [
                (
                    "            objective: greet\n      - id: verify",
                    "            objective: greeting\n      - id: verify",
                )
            ]
        },
        [("qa/contact-quality.yaml", 16, 24, "qa-training-map")],
        "the module 'basics' has no objective 'greeting'; did you mean 'greet'?",
    ),
    Case(
        "qa-training-map",
        "item-not-mapped",
        {
            "qa/contact-quality.yaml": [
                (
                    "        fail_effect: zero-review\n        trains:\n          - module: basics\n"
                    "            objective: greet\n",
                    "        fail_effect: zero-review\n",
                )
            ]
        },
        [("qa/contact-quality.yaml", 17, 13, "qa-training-map")],
    ),
    Case(
        "qa-training-map",
        "two-modules",
        {
            "training/advanced.yaml": SECOND_MODULE,
            "qa/contact-quality.yaml": [
                (
                    "        trains:\n          - module: basics\n            objective: greet\n"
                    "      - id: verify",
                    "        trains:\n          - {module: advanced, objective: calm}\n"
                    "          - module: basics\n            objective: greet\n      - id: verify",
                )
            ],
        },
    ),
    # training-prerequisites
    Case(
        "training-prerequisites",
        "circle-of-two",
        {
            "training/advanced.yaml": SECOND_MODULE,
            "training/basics.yaml": [
                ("duration: PT1H\nobjectives", "duration: PT1H\nprerequisites: [advanced]\nobjectives")
            ],
        },
        [
            ("training/advanced.yaml", 7, 17, "training-prerequisites"),
            ("training/basics.yaml", 7, 17, "training-prerequisites"),
        ],
        "the prerequisites go round in a circle (advanced → basics → advanced)",
    ),
    Case(
        "training-prerequisites",
        "needs-itself",
        {
            "training/basics.yaml": [
                ("duration: PT1H\nobjectives", "duration: PT1H\nprerequisites: [basics]\nobjectives")
            ]
        },
        [("training/basics.yaml", 7, 17, "training-prerequisites")],
    ),
    Case("training-prerequisites", "a-chain", {"training/advanced.yaml": SECOND_MODULE}),
    # training-duration
    Case(
        "training-duration",
        "exercises-longer-than-section",
        {"training/basics.yaml": [("duration: PT20M", "duration: PT2H")]},
        [("training/basics.yaml", 13, 15, "training-duration")],
        "the exercises of 'intro' take 2 hours, longer than the section (1 hour)",
    ),
    Case(
        "training-duration",
        "zero-validity",
        {"training/basics.yaml": [("validity: P365D", "validity: P0D")]},
        [("training/basics.yaml", 36, 13, "training-duration")],
    ),
    Case(
        "training-duration",
        "zero-module-and-section",
        {
            "training/basics.yaml": [
                ("duration: PT1H\nobjectives", "duration: PT0S\nobjectives"),
                ("    duration: PT1H\n", "    duration: PT0M\n"),
                ("        duration: PT20M\n", ""),
            ]
        },
        [
            ("training/basics.yaml", 6, 11, "training-duration"),
            ("training/basics.yaml", 13, 15, "training-duration"),
        ],
    ),
    Case(
        "training-duration",
        "exercise-fills-the-section",
        {"training/basics.yaml": [("duration: PT20M", "duration: PT1H")]},
    ),
    # training-duration-sum
    Case(
        "training-duration-sum",
        "module-longer-than-sections",
        {"training/basics.yaml": [("duration: PT1H\nobjectives", "duration: PT1H30M\nobjectives")]},
        [("training/basics.yaml", 6, 11, "training-duration-sum")],
        "the module takes 1 hour 30 minutes but its sections add up to 1 hour",
    ),
    Case(
        "training-duration-sum",
        "hours-written-as-minutes",
        {"training/basics.yaml": [("duration: PT1H\nobjectives", "duration: PT60M\nobjectives")]},
    ),
    # training-objectives
    Case(
        "training-objectives",
        "section-names-a-missing-objective",
        {"training/basics.yaml": [("objectives: [greet]", "objectives: [greeting]")]},
        [
            ("training/basics.yaml", 8, 9, "training-objectives"),
            ("training/basics.yaml", 14, 18, "training-objectives"),
        ],
        "no section teaches the objective 'greet'",
    ),
    Case(
        "training-objectives",
        "taught-twice",
        {
            "training/basics.yaml": [
                ("duration: PT1H\nobjectives", "duration: PT1H30M\nobjectives"),
                (
                    "        duration: PT20M\n",
                    "        duration: PT20M\n"
                    "  - {id: recap, title: Recap, duration: PT30M, objectives: [greet], content: Recap.}\n",
                ),
            ]
        },
    ),
    # quiz-answers
    Case(
        "quiz-answers",
        "single-with-two-correct-and-true-false-with-text",
        {
            "training/basics.yaml": [
                ("        - text: The agent\n", "        - text: The agent\n          correct: true\n"),
                ("answer: false", "answer: 'false'"),
            ]
        },
        [("training/basics.yaml", 26, 7, "quiz-answers"), ("training/basics.yaml", 34, 15, "quiz-answers")],
        "the single-choice question 'q1' has 2 correct options; mark exactly one with correct: true",
    ),
    Case(
        "quiz-answers",
        "multiple-with-one-correct-and-short-without-answer",
        {
            "training/basics.yaml": [
                ("type: single", "type: multiple"),
                (
                    "      type: true-false\n      prompt: A refund is goodwill.\n      answer: false\n",
                    "      type: short\n      prompt: Name one goodwill type.\n",
                ),
            ]
        },
        [("training/basics.yaml", 26, 7, "quiz-answers"), ("training/basics.yaml", 31, 13, "quiz-answers")],
    ),
    Case(
        "quiz-answers",
        "true-false-with-options-and-single-with-answer",
        {
            "training/basics.yaml": [
                (
                    "      prompt: Who approves a EUR 40 voucher?\n",
                    "      prompt: Who approves a EUR 40 voucher?\n      answer: The team lead\n",
                ),
                ("      answer: false\n", "      answer: false\n      options: [{text: 'yes'}]\n"),
            ]
        },
        [("training/basics.yaml", 26, 7, "quiz-answers"), ("training/basics.yaml", 35, 7, "quiz-answers")],
    ),
    Case(
        "quiz-answers",
        "every-type-right",
        {
            "training/basics.yaml": [
                (
                    "      answer: false\n",
                    "      answer: false\n"
                    "    - {id: q3, type: short, prompt: Name a goodwill type., answer: A voucher}\n"
                    "    - id: q4\n      type: multiple\n      prompt: Which are goodwill?\n"
                    "      options: [{text: Voucher, correct: true}, {text: Gesture, correct: true},"
                    " {text: Refund}]\n",
                )
            ]
        },
    ),
    # kpi-complete
    Case(
        "kpi-complete",
        "percent-above-100",
        {"kpis.yaml": [("target: 85", "target: 850")]},
        [("kpis.yaml", 8, 13, "kpi-complete")],
        "a target of 850 is impossible for a KPI in percent; it must be between 0 and 100",
    ),
    Case(
        "kpi-complete",
        "nps-below-minus-100-and-negative-time",
        {
            "kpis.yaml": """
            kpis:
              - {id: nps, name: NPS, definition: d, formula: f, unit: nps,
                 direction: higher-is-better, target: -120, owner: lead}
              - {id: aht, name: AHT, definition: d, formula: f, unit: seconds,
                 direction: lower-is-better, target: -5, owner: lead}
            """
        },
        [("kpis.yaml", 3, 43, "kpi-complete"), ("kpis.yaml", 5, 42, "kpi-complete")],
    ),
    Case(
        "kpi-complete",
        "nps-at-its-limits",
        {
            "kpis.yaml": """
            kpis:
              - {id: nps, name: NPS, definition: d, formula: f, unit: nps,
                 direction: higher-is-better, target: -100, owner: lead}
            """
        },
    ),
    # rca-closure-form
    Case(
        "rca-closure-form",
        "closure-form-without-corrective-action",
        {"forms/closure.yaml": [("        captures: corrective-action\n", "")]},
        [("categories/missing-item.yaml", 29, 15, "rca-closure-form")],
        "the closure form 'closure' has no field that captures corrective-action",
    ),
    Case(
        "rca-closure-form",
        "no-closure-form",
        {"categories/missing-item.yaml": [("closure_form: closure\n", "")]},
        [("categories/missing-item.yaml", 33, 15, "rca-closure-form")],
    ),
    Case(
        "rca-closure-form",
        "no-rca-needs-no-form",
        {
            "categories/missing-item.yaml": [
                ("closure_form: closure\n", ""),
                ("rca_required: true", "rca_required: false"),
            ]
        },
    ),
]

STAFFED_HOTLINE = """
  - id: hotline
    name: Hotline
    family: online
    mode: live
    calendar: office
    handled_by: [agent]
    staffing:
      method: erlang-c
      handle_time: PT3M
      service_level: {percent: 85, within: PT20S}
      kpi: csat
"""
CASES += [
    Case(
        "staffing-targets",
        "service-level-agrees-with-its-kpi",
        {"channels.yaml": [("channels:\n", "channels:\n" + STAFFED_HOTLINE)]},
    ),
    Case(
        "staffing-targets",
        "service-level-differs-from-its-kpi-and-backlog-without-response-time",
        {
            "channels.yaml": [
                ("channels:\n", "channels:\n" + STAFFED_HOTLINE.replace("percent: 85", "percent: 90")),
                (
                    "    handled_by: [agent]\n  - id: website",
                    "    handled_by: [agent]\n"
                    "    staffing: {method: backlog, handle_time: PT5M}\n  - id: website",
                ),
            ]
        },
        [("channels.yaml", 12, 32, "staffing-targets"), ("channels.yaml", 20, 24, "staffing-targets")],
        "plans to 90% but the KPI 'csat' it names has the target 85%",
    ),
]


# Issue 13: qualified roles, escalation that branches or holds several roles, per-category
# compensation limits and RACI overrides, the order of areas, KPI targets per team.
BUDDY_ROLE = """  - id: buddy
    name: Store manager
    group: store
    level: l2
    reports_to: head
    description: Runs the store.
"""
QUALIFICATIONS = "qualifications:\n  - {id: safety-officer, name: Product-safety officer}\nroles:\n"
PATH = (
    "  - role: lead\n    when: The customer disputes the answer.\n"
    "  - role: head\n    when: The lead cannot resolve it.\n"
)
CASES += [
    Case(
        "escalation-upward",
        "two-roles-share-a-level",
        {
            "roles.yaml": [
                ("    description: Owns the service.\n", "    description: Owns the service.\n" + BUDDY_ROLE)
            ],
            "raci.yaml": [("      head: I\n", "      head: I\n      buddy: C\n")],
            "categories/missing-item.yaml": [("  - role: lead\n", "  - roles: [lead, buddy]\n")],
        },
    ),
    Case(
        "escalation-upward",
        "a-branch-not-above-the-step-before",
        {
            "categories/missing-item.yaml": [
                (
                    PATH,
                    "  - role: lead\n    when: The customer disputes the answer.\n"
                    "  - when: The lead cannot resolve it.\n    branches:\n"
                    "      - {if: The parcel was worth over EUR 100., role: head}\n"
                    "      - {role: agent}\n",
                )
            ]
        },
        [("categories/missing-item.yaml", 29, 16, "escalation-upward")],
        "'agent' works at level 1, not above 'lead' (level 2) before it",
    ),
    Case(
        "escalation-branches",
        "branches-end-with-otherwise",
        {
            "categories/missing-item.yaml": [
                (
                    PATH,
                    "  - when: The customer disputes the answer.\n    branches:\n"
                    "      - {if: The parcel was worth over EUR 100., role: head}\n"
                    "      - {role: lead}\n",
                )
            ]
        },
    ),
    Case(
        "escalation-branches",
        "no-otherwise-and-no-role",
        {
            "categories/missing-item.yaml": [
                (
                    PATH,
                    "  - when: The customer disputes the answer.\n    branches:\n"
                    "      - {role: lead}\n"
                    "      - {if: The parcel was worth over EUR 100., role: head}\n"
                    "  - when: Nobody else can.\n",
                )
            ]
        },
        [
            ("categories/missing-item.yaml", 26, 16, "escalation-branches"),
            ("categories/missing-item.yaml", 27, 10, "escalation-branches"),
            ("categories/missing-item.yaml", 28, 5, "escalation-branches"),
        ],
        "only the last branch may leave out 'if'",
    ),
    Case(
        "qualified-role",
        "path-reaches-a-holder",
        {
            "roles.yaml": [
                ("roles:\n", QUALIFICATIONS),
                (
                    "    description: Owns the service.\n",
                    "    description: Owns the service.\n    qualifications: [safety-officer]\n",
                ),
            ],
            "categories/missing-item.yaml": [
                ("steps:\n", "requires_qualification: safety-officer\nsteps:\n")
            ],
        },
    ),
    Case(
        "qualified-role",
        "owner-and-path-lack-it",
        {
            "roles.yaml": [("roles:\n", QUALIFICATIONS)],
            "categories/missing-item.yaml": [
                ("    activity: close\n", "    activity: close\n    requires_qualification: safety-officer\n")
            ],
        },
        [
            ("categories/missing-item.yaml", 21, 12, "qualified-role"),
            ("categories/missing-item.yaml", 23, 29, "qualified-role"),
        ],
        "this step requires the qualification 'safety-officer', but 'lead' does not hold it",
    ),
    Case(
        "category-compensation",
        "forbids-a-type-the-script-does-not-offer",
        {
            "authority.yaml": [
                (
                    "limits:\n",
                    "  - {id: refund, name: Refund, description: Money back.}\nlimits:\n",
                )
            ],
            "categories/missing-item.yaml": [
                (
                    "root_causes:\n",
                    "forbidden_compensation:\n  - {type: refund, reason: The carrier claim pays it.}\n"
                    "root_causes:\n",
                )
            ],
        },
    ),
    Case(
        "category-compensation",
        "script-offers-a-forbidden-voucher",
        {
            "categories/missing-item.yaml": [
                (
                    "root_causes:\n",
                    "forbidden_compensation:\n  - {type: voucher, reason: Not on safety cases.}\n"
                    "root_causes:\n",
                )
            ]
        },
        [("recovery/missing-item-email.yaml", 21, 11, "category-compensation")],
        "'missing-item' never offers voucher (categories/missing-item.yaml line 32)",
    ),
    Case(
        "raci-override",
        "agent-off-intake",
        {
            "categories/missing-item.yaml": [
                (
                    "root_causes:\n",
                    'raci_overrides:\n  - activity: intake\n    assignments: {agent: "-", head: R}\n'
                    "root_causes:\n",
                )
            ]
        },
    ),
    Case(
        "raci-override",
        "none-or-two-accountable",
        {
            "categories/missing-item.yaml": [
                (
                    "root_causes:\n",
                    "raci_overrides:\n  - activity: intake\n    assignments: {lead: R}\n"
                    "  - activity: close\n    assignments: {lead: A}\nroot_causes:\n",
                )
            ]
        },
        [
            ("categories/missing-item.yaml", 33, 5, "raci-override"),
            ("categories/missing-item.yaml", 35, 5, "raci-override"),
        ],
        "after this override nobody is Accountable for 'intake' on this case",
    ),
    Case(
        "area-order",
        "stated-order",
        {"playbook.yaml": [("cheat_sheets:", "areas: [Orders & delivery]\ncheat_sheets:")]},
    ),
    Case(
        "area-order",
        "misspelt-area",
        {"playbook.yaml": [("cheat_sheets:", "areas: [Orders and delivery]\ncheat_sheets:")]},
        [
            ("categories/missing-item.yaml", 3, 7, "area-order"),
            ("playbook.yaml", 13, 9, "area-order"),
        ],
        "the area 'Orders & delivery' is not in areas in playbook.yaml",
    ),
    Case(
        "kpi-complete",
        "team-target",
        {"kpis.yaml": [("    owner: lead", "    owner: lead\n    team_targets: [{group: bpo, target: 80}]")]},
    ),
    Case(
        "kpi-complete",
        "team-target-for-nobody-out-of-range",
        {
            "kpis.yaml": [
                ("    owner: lead", "    owner: lead\n    team_targets: [{group: store, target: 120}]")
            ]
        },
        [("kpis.yaml", 10, 28, "kpi-complete"), ("kpis.yaml", 10, 43, "kpi-complete")],
        "no role in roles.yaml is in the group 'store'",
    ),
]


# Languages: the base playbook in English and Dutch. DUTCH is a complete Dutch translation of
# it (each text "NL " + the English), made with playbookgen's own writer; each case takes one
# thing away or changes one thing.
BILINGUAL: Replacements = [
    ("currency: EUR\n", "currency: EUR\nlocale: en-GB\nlanguages: {source: en-GB, translations: [nl-NL]}\n")
]


def _dutch() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        playbook, _ = load_playbook(build(Path(folder) / "playbook", {"playbook.yaml": BILINGUAL}))
        entries: dict[str, dict[str, dict[str, str]]] = {}
        for text in texts(playbook):
            entries.setdefault(text.doc.relpath, {})[text.key] = {
                "text": f"NL {text.text}",
                "from": text.hash,
            }
    dutch = Language("nl-NL")
    return {
        translation_path(dutch, relpath): dump(found, translation_path(dutch, relpath), dutch)
        for relpath, found in entries.items()
    }


DUTCH = _dutch()
CATEGORY_NL = "translations/nl/categories/missing-item.yaml"
SCRIPT_NL = "translations/nl/recovery/missing-item-email.yaml"


def _without(path: str, key: str) -> dict[str, str | Replacements | None]:
    """The bilingual base playbook with the Dutch entry ``key`` of ``path`` left out."""
    lines = DUTCH[path].splitlines(keepends=True)
    start = lines.index(f"{key}:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return {"playbook.yaml": BILINGUAL, **DUTCH, path: "".join(lines[:start] + lines[end:])}


CASES += [
    Case("translation-missing", "every-text-translated", {"playbook.yaml": BILINGUAL, **DUTCH}),
    Case("languages-valid", "source-is-the-locale", {"playbook.yaml": BILINGUAL, **DUTCH}),
    Case(
        "languages-valid",
        "source-differs-from-locale-and-a-language-twice",
        {
            "playbook.yaml": [
                (
                    "currency: EUR\n",
                    "currency: EUR\nlocale: en-GB\nlanguages:\n  source: nl-NL\n  translations:\n"
                    "    - de-DE\n    - de-AT\n"
                    'rules:\n  translation-missing: "off"\n  script-translation-missing: "off"\n',
                )
            ],
        },
        [
            ("playbook.yaml", 9, 11, "languages-valid"),
            ("playbook.yaml", 12, 7, "languages-valid"),
        ],
        "the source language 'nl-NL' is not the language of locale 'en-GB'",
    ),
    Case("translation-outdated", "every-translation-current", {"playbook.yaml": BILINGUAL, **DUTCH}),
    Case("translation-stray", "every-entry-has-its-text", {"playbook.yaml": BILINGUAL, **DUTCH}),
    Case(
        "translation-missing",
        "category-name-not-translated",
        _without(CATEGORY_NL, "name"),
        [("categories/missing-item.yaml", 2, 7, "translation-missing")],
        "this text has no Dutch (nl) translation, so its readers see this text marked 'not yet "
        "translated'; add 'name' to translations/nl/categories/missing-item.yaml",
    ),
    Case(
        "script-translation-missing",
        "phrases-translated-other-text-missing",
        _without(SCRIPT_NL, "scenario"),
        [("recovery/missing-item-email.yaml", 3, 11, "translation-missing")],
    ),
    Case(
        "script-translation-missing",
        "phrase-not-translated",
        _without(SCRIPT_NL, "steps.apologise.say.0"),
        [("recovery/missing-item-email.yaml", 13, 11, "script-translation-missing")],
        "so staff reading it cannot say it to customers in their language",
    ),
    Case(
        "translation-outdated",
        "english-phrase-reworded-after-translation",
        {
            "playbook.yaml": BILINGUAL,
            **DUTCH,
            "recovery/missing-item-email.yaml": [
                ("I'm sorry the item was missing.", "I'm sorry the item was not there.")
            ],
        },
        [("recovery/missing-item-email.yaml", 13, 11, "translation-outdated")],
        "the Dutch (nl) translation of this text was made from an earlier version of it",
    ),
    Case(
        "translation-stray",
        "entry-for-a-text-that-was-removed",
        {
            "playbook.yaml": BILINGUAL,
            **DUTCH,
            CATEGORY_NL: DUTCH[CATEGORY_NL] + 'examples.9:\n  text: NL weg\n  from: "0badc0de"\n',
        },
        [(CATEGORY_NL, len(DUTCH[CATEGORY_NL].splitlines()) + 1, 1, "translation-stray")],
    ),
    Case(
        "translation-stray",
        "step-keyed-by-its-place-not-its-stage",
        {
            "playbook.yaml": BILINGUAL,
            **DUTCH,
            SCRIPT_NL: DUTCH[SCRIPT_NL].replace("steps.apologise.say.0:", "steps.1.say.0:"),
        },
        [
            ("recovery/missing-item-email.yaml", 13, 11, "script-translation-missing"),
            (
                SCRIPT_NL,
                DUTCH[SCRIPT_NL].splitlines().index("steps.apologise.say.0:") + 1,
                1,
                "translation-stray",
            ),
        ],
        "list entries are named by their identity now: rename it 'steps.apologise.say.0'",
    ),
]


# review-due and review-overdue: the base playbook is judged on its effective date, 2026-01-01.
def reviewed(last: str, *, grace: str = "") -> dict[str, str | Replacements | None]:
    """The base playbook with reviews every 6 months by the lead, and the category last
    reviewed on ``last``."""
    settings = "review:\n" + (f"  grace: {grace}\n" if grace else "")
    settings += "  defaults:\n    category: {owner: lead, interval: P6M}\n"
    return {
        "playbook.yaml": [("currency: EUR\n", "currency: EUR\n" + settings)],
        "categories/missing-item.yaml": [("closure_form: closure\n", "closure_form: closure\n" + last)],
    }


CASES += [
    Case("review-due", "reviewed-within-interval", reviewed('review: {last_reviewed: "2025-09-01"}\n')),
    Case(
        "review-due",
        "past-review-date-within-grace",
        reviewed('review: {last_reviewed: "2025-06-20"}\n'),
        [("categories/missing-item.yaml", 30, 25, "review-due")],
        "the review of category 'Missing item' was due on 2025-12-20 (12 days ago; last reviewed "
        "2025-06-20, every 6 months); it becomes an error on 2026-01-19; Team lead reviews it",
    ),
    Case(
        "review-due",
        "due-today",
        reviewed('review: {last_reviewed: "2025-07-01"}\n'),
        [("categories/missing-item.yaml", 30, 25, "review-due")],
        "was due on 2026-01-01 (today;",
    ),
    Case(
        "review-due",
        "never-reviewed",
        reviewed(""),
        [("categories/missing-item.yaml", 1, 5, "review-due")],
        "category 'Missing item' is to be reviewed every 6 months but has no review date",
    ),
    Case(
        "review-overdue",
        "past-grace-period",
        reviewed('review: {owner: head, last_reviewed: "2025-05-15"}\n'),
        [("categories/missing-item.yaml", 30, 38, "review-overdue")],
        "was due on 2025-11-15 (47 days ago; last reviewed 2025-05-15, every 6 months); the grace "
        "period of 30 days ended on 2025-12-15; Head of service reviews it",
    ),
    Case(
        "review-overdue",
        "longer-grace-period-keeps-it-a-warning",
        reviewed('review: {owner: head, last_reviewed: "2025-05-15"}\n', grace="P2M"),
        [("categories/missing-item.yaml", 30, 38, "review-due")],
    ),
]


# decision-dead-end: every branch of a category's "Can I fix it now?" aid names an owner.
CASES += [
    Case(
        "decision-dead-end",
        "approver-missing-but-the-lead-on-the-path-may-give-more",
        {"authority.yaml": [("  - role: agent\n    approver: lead\n", "  - role: agent\n")]},
    ),
    Case(
        "decision-dead-end",
        "agent-owns-the-case-with-nobody-to-hand-it-to",
        {
            "categories/missing-item.yaml": [
                ("\nowner: lead\n", "\nowner: agent\n"),
                ("escalation_path:\n" + PATH, ""),
            ]
        },
        [("categories/missing-item.yaml", 16, 12, "decision-dead-end")],
        "when 'agent' cannot fix this case on the spot, nobody takes it over",
    ),
    Case(
        "decision-dead-end",
        "no-approver-and-nobody-on-the-case-gives-more",
        {
            "authority.yaml": [("  - role: agent\n    approver: lead\n", "  - role: agent\n")],
            "categories/missing-item.yaml": [
                ("\nowner: lead\n", "\nowner: agent\n"),
                ("escalation_path:\n" + PATH, ""),
            ],
        },
        [
            ("categories/missing-item.yaml", 16, 12, "decision-dead-end"),
            ("categories/missing-item.yaml", 16, 12, "decision-dead-end"),
        ],
    ),
    Case(
        "decision-dead-end",
        "breach-escalates-to-a-level-nobody-is-on",
        {
            "roles.yaml": [("roles:\n", "  - id: l4\n    level: 4\n    name: Board\nroles:\n")],
            "sla.yaml": [
                (
                    "        notify: [head]\n",
                    "        notify: [head]\n"
                    "      - at_percent: 200\n        level: l4\n        notify: [head]\n",
                )
            ],
        },
        [("sla.yaml", 30, 16, "decision-dead-end")],
        "escalates to level 'l4', but no role in roles.yaml works on that level",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}:{c.name}" for c in CASES])
def test_rule_case(case: Case, tmp_path: Path) -> None:
    root = build(tmp_path / "playbook", case.changes)
    assert found(root) == case.expected
    if case.message:
        problems = [p for p in check(root).problems if p.rule == case.rule]
        assert case.message in problems[0].message, problems[0].message


def test_base_playbook_passes_every_rule_with_no_warnings() -> None:
    result = check(BASE, strict=True)
    assert result.problems == []


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    failing = {rule for case in CASES for (_, _, _, rule) in case.expected}
    passing = {case.rule for case in CASES if not [e for e in case.expected if e[3] == case.rule]}
    assert set(RULES) - failing == set(), "rules no failing case exercises"
    assert set(RULES) - passing == set(), "rules without a passing case"
    assert {case.rule for case in CASES} <= set(RULES)
