"""Random draws for the synthetic centres: days, levels, decks dealt without replacement, slots.

Each draw takes its :class:`random.Random`, so a seeded generator gives the same centre every
time. Used by :mod:`employkit.synth`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from typing import Generic, TypeVar

from employkit.model import Level

__all__ = ["Deck", "Openings", "Shuffle", "Slots", "binomial", "random_day", "random_level"]

K = TypeVar("K")


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def random_level(rng: random.Random, high: float, low: float) -> Level:
    r = rng.random()
    return Level.HIGH if r < high else Level.LOW if r < high + low else Level.MID


class Deck(Generic[K]):
    """A fixed multiset dealt in uniformly random order, one item at a time.

    Each draw picks a kind with probability proportional to what is left of it, so the
    counts come out exactly while memory stays proportional to the number of kinds.
    """

    def __init__(self, counts: Mapping[K, int]) -> None:
        self.kinds = [k for k, n in counts.items() if n > 0]
        self.left = [counts[k] for k in self.kinds]
        self.total = sum(self.left)

    def draw(self, rng: random.Random) -> K:
        """The next item; raises :class:`IndexError` when the deck is empty."""
        if self.total <= 0:
            raise IndexError("the deck is empty")
        r = rng.randrange(self.total)
        for i, n in enumerate(self.left):
            if r < n:
                self.left[i] -= 1
                self.total -= 1
                return self.kinds[i]
            r -= n
        raise AssertionError("unreachable: counts and total disagree")


def binomial(rng: random.Random, n: int, p: float) -> int:
    """A draw from Binomial(``n``, ``p``): exact inversion for small means, normal otherwise."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    mean = n * p
    if mean > 60 and n * (1 - p) > 60:
        return min(n, max(0, round(rng.gauss(mean, (mean * (1 - p)) ** 0.5))))
    if p > 0.5:
        return n - binomial(rng, n, 1 - p)
    q = 1.0 - p
    ratio = p / q
    limit = min(n, int(mean + 40 * mean**0.5 + 40))
    while True:  # inversion; a rounding miss past `limit` (p < 1e-100) draws again
        prob = q**n
        u = rng.random()
        x = 0
        while u > prob and x < limit:
            u -= prob
            x += 1
            prob *= ratio * (n - x + 1) / x
        if u <= prob:
            return x


class Openings:
    """The openings of one occupation group's vacancies, in the group's order.

    The group's extra openings are spread over its vacancies by sequential binomial
    draws from the group's own random stream, so the same sequence can be replayed
    later (to hand openings to placements) without keeping it in memory.
    """

    def __init__(self, seed: int, group: str, count: int, extra: int, start: int) -> None:
        self.rng = random.Random(f"{seed}:openings:{group}")
        self.count = count
        self.extra_left = extra
        self.start = start
        self.done = 0

    def next(self) -> tuple[int, int]:
        """``(position, openings)`` of the group's next vacancy."""
        if self.done >= self.count:
            raise IndexError("no vacancies left in the group")
        extra = binomial(self.rng, self.extra_left, 1 / (self.count - self.done))
        self.extra_left -= extra
        position = self.start + self.done
        self.done += 1
        return position, 1 + extra


class Slots:
    """Hands a group's openings to its placements: which openings are filled is decided by
    sequential random selection (each opening taken with probability placements still to
    place / openings still unseen), so exactly ``linked`` placements get a vacancy.
    """

    def __init__(self, seed: int, group: str, count: int, extra: int, start: int, linked: int) -> None:
        self.openings = Openings(seed, group, count, extra, start)
        self.rng = random.Random(f"{seed}:fill:{group}")
        self.unseen = count + extra
        self.need = linked
        self.position = -1
        self.pending = 0

    def take(self) -> int | None:
        """The position of the vacancy the next placement fills, or ``None`` when none is left."""
        while self.pending == 0:
            if self.need == 0:
                return None
            self.position, openings = self.openings.next()
            for _ in range(openings):
                if self.rng.random() * self.unseen < self.need:
                    self.pending += 1
                    self.need -= 1
                self.unseen -= 1
        self.pending -= 1
        return self.position


class Shuffle:
    """A random bijection of ``range(size)`` (``x -> (a·x + b) mod size``) used to scatter ids."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size = size
        self.a = 1
        if size > 2:
            self.a = rng.randrange(1, size)
            while math.gcd(self.a, size) != 1:
                self.a = rng.randrange(1, size)
        self.b = rng.randrange(size)

    def __call__(self, x: int) -> int:
        return (self.a * x + self.b) % self.size
