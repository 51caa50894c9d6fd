"""Sharing money out to the penny: largest remainder (Hamilton's method), so that the parts
always add up to exactly the total and no penny is lost or made up."""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def split_pro_rata(total: int, weights: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """``total`` pence shared in proportion to ``weights`` (whole, non-negative): each part is
    the floor of its exact share, and the pennies left over go one each to the largest
    remainders (ties to the earlier key). With no weight at all, every part is 0."""
    if total < 0 or any(weight < 0 for weight in weights.values()):
        raise ValueError("Shares are of a non-negative total by non-negative weights")
    whole = sum(weights.values())
    if whole == 0:
        return {key: 0 for key in weights}
    parts, remainders = {}, []
    for order, (key, weight) in enumerate(weights.items()):
        parts[key], remainder = divmod(total * weight, whole)
        remainders.append((-remainder, order, key))
    left_over = total - sum(parts.values())
    for _, _, key in sorted(remainders)[:left_over]:
        parts[key] += 1
    return parts


def share_out(available: int, needs: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Meet every need if ``available`` covers them all, else share it pro rata."""
    if available >= sum(needs.values()):
        return dict(needs)
    return split_pro_rata(max(available, 0), needs)


def share_by_priority(
    available: int, needs_by_tier: list[Mapping[Hashable, int]]
) -> dict[Hashable, int]:
    """Meet the first tier's needs in full, then the next, ...; the first tier the money cannot
    cover is shared pro rata and later tiers get nothing."""
    parts: dict[Hashable, int] = {}
    for needs in needs_by_tier:
        given = share_out(available, needs)
        for key, amount in given.items():
            parts[key] = parts.get(key, 0) + amount
        available -= sum(given.values())
    return parts
