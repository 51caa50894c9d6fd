"""Sharing the fund to the penny: the parts always add up to exactly the total."""

from hypothesis import given, settings
from hypothesis import strategies as st

from funding.arithmetic import share_by_priority, share_out, split_pro_rata

weights = st.dictionaries(st.integers(1, 20), st.integers(0, 10**9), min_size=1, max_size=8)
totals = st.integers(0, 10**10)


@settings(max_examples=300)
@given(total=totals, weights=weights)
def test_pro_rata_parts_add_up_to_the_total_to_the_penny(total, weights):
    parts = split_pro_rata(total, weights)
    if sum(weights.values()):
        assert sum(parts.values()) == total
    else:
        assert set(parts.values()) == {0}


@settings(max_examples=300)
@given(total=totals, weights=weights)
def test_each_part_is_within_a_penny_of_its_exact_share(total, weights):
    whole = sum(weights.values())
    parts = split_pro_rata(total, weights)
    for key, weight in weights.items():
        exact_floor = total * weight // whole if whole else 0
        assert exact_floor <= parts[key] <= exact_floor + 1


@settings(max_examples=200)
@given(available=totals, needs=weights)
def test_no_alliance_gets_more_than_its_need(available, needs):
    parts = share_out(available, needs)
    assert all(parts[key] <= need for key, need in needs.items())
    assert sum(parts.values()) == min(available, sum(needs.values()))


@settings(max_examples=200)
@given(available=totals, tiers=st.lists(weights, min_size=1, max_size=3))
def test_priority_meets_earlier_tiers_first_and_loses_no_penny(available, tiers):
    parts = share_by_priority(available, tiers)
    need = sum(sum(t.values()) for t in tiers)
    assert sum(parts.values()) == min(available, need)
    first = tiers[0]
    if available >= sum(first.values()):
        for key, amount in first.items():
            assert parts[key] >= amount


def test_three_alliances_share_a_hundred_pounds_without_losing_a_penny():
    assert split_pro_rata(10000, {"north": 1, "east": 1, "south": 1}) == {
        "north": 3334,
        "east": 3333,
        "south": 3333,
    }


def test_a_short_fund_is_shared_in_proportion_to_need():
    # £95,500 against needs of £15,000 and £25,000 + £60,000 = £100,000.
    assert split_pro_rata(9_550_000, {"a": 1_500_000, "b": 8_500_000}) == {
        "a": 1_432_500,
        "b": 8_117_500,
    }
