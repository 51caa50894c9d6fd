"""The product's proposal of peer-review groups inside a cluster: a pure function, no database.

Rules (issue 12, "Peer reviews and visits"): every school is placed; groups are pairs, with one
triad when the number of schools is odd; a school never reviews itself; and no two schools that
were in a group together last cycle are grouped again when another arrangement avoids it (the
fewest repeats otherwise). Opted-out schools are left out by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations

Pair = frozenset
# How many arrangements the search tries before it settles for the best one found; a cluster's
# last-cycle pairs touch each school at most twice, so a repeat-free arrangement is found early.
SEARCH_BUDGET = 20_000


def pairs_of(groups: Iterable[Iterable[int]]) -> set[Pair]:
    """Every two schools that share a group."""
    return {Pair(pair) for group in groups for pair in combinations(sorted(group), 2)}


def group_repeats(group: Sequence[int], previous: set[Pair]) -> int:
    return sum(Pair(pair) in previous for pair in combinations(group, 2))


def pairings_propose(schools: Sequence[int], *, previous: set[Pair] = frozenset()) -> list[list]:
    """Groups of two (one of three when the count is odd) covering every school once, with as
    few of last cycle's ``previous`` pairs as the search finds (none when none is possible in
    small clusters, where the search is exhaustive). Fewer than two schools: no groups."""
    ordered = sorted(set(schools))
    if len(ordered) < 2:
        return []
    search = _Search(previous)
    search.run(tuple(ordered), triad_left=len(ordered) % 2 == 1, groups=[], cost=0)
    return [sorted(group) for group in search.best]


class _Search:
    """Depth-first over arrangements, cheapest choices first, pruned by the best cost so far."""

    def __init__(self, previous: set[Pair]) -> None:
        self.previous = previous
        self.best: list[tuple] = []
        self.best_cost: int | None = None
        self.budget = SEARCH_BUDGET

    def run(self, remaining: tuple, *, triad_left: bool, groups: list, cost: int) -> None:
        if self.best_cost == 0 or (self.best_cost is not None and cost >= self.best_cost):
            return
        if not remaining:
            self.best, self.best_cost = list(groups), cost
            return
        self.budget -= 1
        if self.budget < 0 and self.best_cost is not None:
            return
        for group in self._choices(remaining, triad_left):
            rest = tuple(school for school in remaining if school not in group)
            added = group_repeats(group, self.previous)
            self.run(
                rest,
                triad_left=triad_left and len(group) == 2,
                groups=[*groups, group],
                cost=cost + added,
            )

    def _choices(self, remaining: tuple, triad_left: bool) -> Iterator[tuple]:
        """The groups the first unplaced school can join, those without a repeat first. With
        three left and a triad owed, only the triad; otherwise pairs, and triads while owed
        (made only when needed: a large cluster has hundreds)."""
        first, others = remaining[0], remaining[1:]
        if triad_left and len(remaining) == 3:
            yield remaining
            return
        pairs = [(first, other) for other in others]
        triads = ((first, *pair) for pair in combinations(others, 2)) if triad_left else ()
        yield from (pair for pair in pairs if not self._repeats(pair))
        later = []
        for triad in triads:
            if self._repeats(triad):
                later.append(triad)
            else:
                yield triad
        costly = [pair for pair in pairs if self._repeats(pair)] + later
        yield from sorted(costly, key=self._repeats)

    def _repeats(self, group: tuple) -> int:
        return group_repeats(group, self.previous)
