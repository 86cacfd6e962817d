"""Erlang C queueing: how many agents a live queue needs to answer X% of contacts within Y seconds.

Traffic A (erlangs) is contacts × handle time ÷ interval length. The probability that a contact
waits is computed through Erlang B's recurrence, B(0) = 1, B(n) = A·B(n−1) ÷ (n + A·B(n−1)),
and C = N·B ÷ (N − A·(1 − B)). Every step stays between 0 and 1, so hundreds or thousands
of agents never overflow (the textbook form with Aᴺ/N! overflows a float near N = 170).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueResult:
    """What N agents achieve on a live queue carrying ``traffic`` erlangs."""

    agents: int
    traffic: float
    waiting_probability: float
    service_level: float
    asa_seconds: float
    occupancy: float


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of ``agents`` servers offered ``traffic`` erlangs (Erlang B)."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a contact waits at all (Erlang C); 1 when the agents cannot keep up."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    return _c_from_b(agents, traffic, erlang_b(agents, traffic))


def _c_from_b(agents: int, traffic: float, blocking: float) -> float:
    return agents * blocking / (agents - traffic * (1 - blocking))


def _result(agents: int, traffic: float, waiting: float, aht: float, answer_within: float) -> QueueResult:
    if traffic <= 0:
        return QueueResult(agents, 0.0, 0.0, 1.0, 0.0, 0.0)
    if agents <= traffic:
        return QueueResult(agents, traffic, 1.0, 0.0, math.inf, 1.0)
    spare = agents - traffic
    service = 1 - waiting * math.exp(-spare * answer_within / aht)
    return QueueResult(agents, traffic, waiting, service, waiting * aht / spare, traffic / agents)


def queue(agents: int, traffic: float, aht: float, answer_within: float) -> QueueResult:
    """Service level, probability of waiting, ASA (seconds) and occupancy of ``agents`` agents."""
    return _result(agents, traffic, erlang_c(agents, traffic), aht, answer_within)


def agents_for(traffic: float, aht: float, answer_within: float, target: float) -> QueueResult:
    """The fewest agents whose service level (answered within ``answer_within`` seconds) is at
    least ``target`` (0–1), with what they achieve. Erlang B is carried forward agent by
    agent, so the search costs one pass however large the traffic."""
    if traffic <= 0:
        return _result(0, 0.0, 0.0, aht, answer_within)
    agents = math.floor(traffic) + 1
    blocking = erlang_b(agents, traffic)
    while True:
        result = _result(agents, traffic, _c_from_b(agents, traffic, blocking), aht, answer_within)
        # A target of 100% is never met exactly; stop where the shortfall is below rounding.
        if result.service_level >= target - 1e-12:
            return result
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)
