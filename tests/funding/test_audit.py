"""The fund's tariff, allocations and overdraw decisions appear in the board's audit trail."""

from decimal import Decimal

from funding.services import overdraw_approve, tariff_set

from .conftest import make_engagement


def _labels(as_user, kind: str) -> list[str]:
    response = as_user("officer").get("/people/audit/", {"kind": kind})
    assert response.status_code == 200
    return [entry.object_label for entry in response.context["trail"].entries]


def test_a_tariff_change_is_in_the_audit_trail_with_who_made_it(world, fund, officer, as_user):
    tariff_set(fund=fund, amounts={"high": Decimal("30000")}, by=officer)
    label = f"High band: £30,000.00 (Improvement fund {fund.name})"
    assert _labels(as_user, "tariff")[0] == label


def test_allocations_and_overdraw_decisions_are_in_the_audit_trail(world, fund, officer, as_user):
    assert "South Alliance: £25,000.00" in _labels(as_user, "allocation")
    engagement = make_engagement(world.school_a, world.alliance_a)
    overdraw_approve(engagement=engagement, reference="Minute 4", by=officer)
    assert _labels(as_user, "overdraw") == [f"Engagement {engagement.pk} may overdraw: Minute 4"]
