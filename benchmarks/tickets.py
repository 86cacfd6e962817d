"""Generate a Zendesk ticket export (CSV) for the reference playbook: the benchmark's
million rows, and the sample in examples/.

    python benchmarks/tickets.py 1000000 /tmp/tickets.csv
    python benchmarks/tickets.py 600 examples/zendesk-tickets-2026-11.csv --bad 0

Tickets arrive over November 2026 (more on weekdays and in the day, a Black Friday peak),
with the reference playbook's categories as cat_ tags, Via values that helpdesk.yaml maps
to channels, replies and resolutions that mostly fall within the targets and some that do
not; tickets created near the end are still open. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    "Id",
    "Requester",
    "Subject",
    "Status",
    "Priority",
    "Via",
    "Group",
    "Tags",
    "Created at",
    "Solved at",
    "First reply time in minutes",
    "Full resolution time in minutes",
]
CATEGORIES = [
    ("late-delivery", "Where is my order?", 18),
    ("damaged-item", "Tent pole arrived broken", 9),
    ("wrong-item", "Wrong size boots delivered", 7),
    ("missing-item", "Item missing from parcel", 6),
    ("refund-not-received", "Refund not received yet", 10),
    ("returns", "How do I return my jacket?", 12),
    ("account-access", "Cannot log in to the app", 6),
    ("payment-delay", "Payment pending for days", 4),
    ("incorrect-promotion", "Discount code did not work", 5),
    ("click-and-collect", "Click and collect order not ready", 5),
    ("product-quality", "Zip broke after two weeks", 6),
    ("cancellation", "Please cancel my order", 5),
    ("chargeback", "Bank dispute on my order", 1),
    ("data-privacy-request", "Delete my personal data", 1),
    ("web-app-bug", "Checkout page keeps loading", 2),
    ("service-attitude", "Rude answer in store", 1),
    ("store-experience", "Fitting room feedback", 2),
    ("voucher-promo-code", "Gift voucher not accepted", 3),
    ("warranty-repair", "Boots sole came loose, under warranty?", 3),
    ("product-knowledge-gap", "Which sleeping bag for minus ten?", 4),
]
PRIORITIES = [("Urgent", 2, 20), ("High", 12, 45), ("Normal", 56, 90), ("Low", 30, 180)]
"""Zendesk priority, share in percent, typical first reply in minutes."""
VIA = [
    ("Mail", 38),
    ("Web form", 22),
    ("Chat", 20),
    ("Phone call (inbound)", 10),
    ("Facebook", 4),
    ("Instagram Direct", 3),
    ("API", 3),
]
GROUPS = [("BPO chat and email", 70), ("Case team", 22), ("Store escalations", 8)]
TIERS = [("", 80), ("tier_gold", 15), ("tier_platinum", 5)]
START = datetime(2026, 11, 1)
END = datetime(2026, 12, 1)
BLACK_FRIDAY = datetime(2026, 11, 27)


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]


def _created(rng: random.Random) -> datetime:
    while True:
        moment = START + timedelta(seconds=rng.randrange(int((END - START).total_seconds())))
        weight = 1.0
        if moment.weekday() >= 5:
            weight *= 0.55
        if not 8 <= moment.hour < 22:
            weight *= 0.15
        if BLACK_FRIDAY <= moment < BLACK_FRIDAY + timedelta(days=4):
            weight *= 2.5
        if rng.random() < weight / 2.5:
            return moment


def rows(count: int, seed: int = 2026, bad: float = 0.001) -> list[list[str]]:
    rng = random.Random(seed)
    categories = [(c[0], c[2]) for c in CATEGORIES]
    subjects = {c[0]: c[1] for c in CATEGORIES}
    result: list[list[str]] = []
    for number in range(count):
        category = _weighted(rng, categories)
        priority = rng.choices([p[0] for p in PRIORITIES], weights=[p[1] for p in PRIORITIES])[0]
        typical = next(p[2] for p in PRIORITIES if p[0] == priority)
        created = _created(rng)
        reply = created + timedelta(minutes=max(1.0, rng.lognormvariate(0, 1.0) * typical * 1.5))
        solved: datetime | None = reply + timedelta(minutes=rng.lognormvariate(0, 1.1) * typical * 6)
        status = "solved"
        if solved is not None and solved > END:
            solved, status = None, "open"
        reply_text = "" if reply > END else f"{(reply - created).total_seconds() / 60:.0f}"
        tags = " ".join(t for t in (f"cat_{category}", _weighted(rng, TIERS)) if t)
        row = [
            str(100000 + number),
            f"Customer {rng.randrange(1, count * 2)}",
            subjects[category],
            status,
            priority,
            _weighted(rng, VIA),
            _weighted(rng, GROUPS),
            tags,
            created.strftime("%Y-%m-%d %H:%M:%S"),
            solved.strftime("%Y-%m-%d %H:%M:%S") if solved else "",
            reply_text,
            f"{(solved - created).total_seconds() / 60:.0f}" if solved else "",
        ]
        if bad and rng.random() < bad:
            # What real exports hold now and then: a merged ticket solved "before" it was created.
            row[9] = (created - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S")
        result.append(row)
    return result


def write(count: int, target: Path, seed: int = 2026, bad: float = 0.001) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        chunk = 100_000
        for start in range(0, count, chunk):
            part = rows(min(chunk, count - start), seed + start, bad)
            for offset, row in enumerate(part):
                row[0] = str(100000 + start + offset)
            writer.writerows(part)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int, help="number of tickets")
    parser.add_argument("target", type=Path, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bad", type=float, default=0.001, help="share of rows solved before created")
    args = parser.parse_args(argv)
    write(args.count, args.target, args.seed, args.bad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
