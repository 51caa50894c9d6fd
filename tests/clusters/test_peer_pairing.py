"""The product's proposal of peer-review groups (clusters/peer_pairing.py), tested on every shape
of cluster hypothesis finds."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from clusters.peer_pairing import pairings_propose, pairs_of

school_ids = st.lists(
    st.integers(min_value=1, max_value=10_000), min_size=2, max_size=40, unique=True
)


def _partitions(items: list) -> list[list[tuple]]:
    """Every arrangement into pairs with one triad when the count is odd (small lists only)."""
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    found = []
    sizes = (1, 2) if len(items) % 2 == 1 else (1,)
    for size in sizes:
        if size == 2 and len(items) < 3:
            continue
        for partners in combinations(rest, size):
            remaining = [item for item in rest if item not in partners]
            if size == 2 and len(remaining) % 2 == 1:
                continue
            for tail in _partitions(remaining):
                found.append([(first, *partners), *tail])
    return found


@given(school_ids)
def test_every_school_is_placed_exactly_once(schools):
    groups = pairings_propose(schools)
    placed = [school for group in groups for school in group]
    assert sorted(placed) == sorted(schools)


@given(school_ids)
def test_groups_are_pairs_with_at_most_one_triad(schools):
    sizes = [len(group) for group in pairings_propose(schools)]
    assert set(sizes) <= {2, 3}
    assert sizes.count(3) == len(schools) % 2


@given(school_ids)
def test_a_school_never_reviews_itself(schools):
    for group in pairings_propose(schools):
        assert len(set(group)) == len(group)


@given(st.lists(st.integers(1, 50), max_size=1, unique=True))
def test_fewer_than_two_schools_get_no_groups(schools):
    assert pairings_propose(schools) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 30), min_size=2, max_size=8, unique=True).flatmap(
        lambda schools: st.tuples(
            st.just(schools),
            st.permutations(schools),
            st.lists(st.tuples(st.sampled_from(schools), st.sampled_from(schools)), max_size=6),
        )
    )
)
def test_last_cycles_pairs_are_not_repeated_when_an_arrangement_avoids_them(case):
    schools, shuffled, extra = case
    last_cycle = pairings_propose(shuffled)
    previous = pairs_of(last_cycle) | {frozenset(p) for p in extra if p[0] != p[1]}
    proposed = pairs_of(pairings_propose(schools, previous=previous))
    fewest = min(len(pairs_of(p) & previous) for p in _partitions(sorted(schools)))
    assert len(proposed & previous) == fewest


@settings(deadline=None)
@given(st.lists(st.integers(1, 10_000), min_size=10, max_size=40, unique=True))
def test_a_large_cluster_avoids_every_pair_of_its_last_cycle(schools):
    previous = pairs_of(pairings_propose(schools))
    assert not pairs_of(pairings_propose(schools, previous=previous)) & previous


def test_the_proposal_is_the_same_whatever_order_the_schools_come_in():
    assert pairings_propose([5, 3, 1, 4, 2]) == pairings_propose([1, 2, 3, 4, 5])
