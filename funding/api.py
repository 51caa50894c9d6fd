"""API for the fund: its position (the fund, the alliances and schools the user may see) and,
for officers, the ledger. Read-only: money moves through the pages' services."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from partnership.models import Alliance
from partnership.permissions import roles_of
from schools.models import School

from .balances import Position, fund_position, positions_by
from .models import Fund, LedgerEntry
from .selectors import fund_current

YEAR = OpenApiParameter(
    "year", int, description="The year the financial year starts in (this year's fund if left out)"
)
MONEY = {"max_digits": 14, "decimal_places": 2}


class PositionSerializer(serializers.Serializer):
    fund = serializers.CharField(help_text="The financial year, e.g. 2026-27")
    level = serializers.ChoiceField(choices=["fund", "alliance", "school"])
    id = serializers.IntegerField(allow_null=True, help_text="The alliance's id or school's URN")
    name = serializers.CharField()
    budget = serializers.DecimalField(help_text="Budget, or the alliance's allocation", **MONEY)
    committed = serializers.DecimalField(help_text="Committed, not yet paid", **MONEY)
    spent = serializers.DecimalField(help_text="Paid (gross)", **MONEY)
    remaining = serializers.DecimalField(**MONEY)


def _fund(request: Request) -> Fund | None:
    year = request.query_params.get("year")
    if year and year.isdigit():
        return Fund.objects.filter(year=int(year)).first()
    return fund_current()


def position_rows(*, fund: Fund, user) -> list[dict]:
    """The fund's, alliances' and schools' positions the user may see (three queries)."""
    roles = roles_of(user)
    rows = []

    def row(level, ident, name, budget, p: Position, remaining):
        rows.append(
            {
                "fund": fund.name,
                "level": level,
                "id": ident,
                "name": name,
                "budget": budget,
                "committed": p.committed,
                "spent": p.spent,
                "remaining": remaining,
            }
        )

    if roles.sees_whole_partnership:
        total = fund_position(fund=fund)
        row("fund", None, f"Improvement fund {fund.name}", total.budget, total, total.remaining)
    alliance_ids = None if roles.sees_whole_partnership else roles.alliance_ids
    if alliance_ids is None or alliance_ids:
        entries = LedgerEntry.objects.filter(fund=fund, alliance__isnull=False)
        if alliance_ids is not None:
            entries = entries.filter(alliance_id__in=alliance_ids)
        positions = positions_by(entries, "alliance_id")
        for alliance in Alliance.objects.filter(pk__in=positions).order_by("name"):
            p = positions[alliance.pk]
            row("alliance", alliance.pk, alliance.name, p.allocated, p, p.allocation_left)
    if roles.school_ids and not roles.sees_whole_partnership:
        entries = LedgerEntry.objects.filter(fund=fund, school_id__in=roles.school_ids)
        positions = positions_by(entries, "school_id")
        for school in School.objects.filter(pk__in=positions).order_by("name"):
            p = positions[school.pk]
            row("school", school.urn, school.name, p.commitments - p.releases, p, p.committed)
    return rows


@extend_schema_view(
    list=extend_schema(
        summary="The fund's position",
        description="Budget, committed, spent and remaining for the fund and each alliance "
        "(officers and the board), an alliance chair's own alliance, or a headteacher's own "
        "school's support costs.",
        parameters=[YEAR],
    )
)
class FundPositionViewSet(viewsets.ViewSet):
    serializer_class = PositionSerializer
    pagination_class = None

    def list(self, request: Request, *args, **kwargs) -> Response:
        fund = _fund(request)
        rows = position_rows(fund=fund, user=request.user) if fund else []
        return Response(PositionSerializer(rows, many=True).data)


class LedgerEntrySerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.name", read_only=True)
    amount = serializers.DecimalField(read_only=True, **MONEY)
    vat = serializers.DecimalField(read_only=True, **MONEY)
    recorded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "fund",
            "kind",
            "source",
            "amount",
            "vat",
            "alliance",
            "engagement",
            "school",
            "description",
            "reason",
            "reverses",
            "recorded_at",
            "recorded_by",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="The fund's ledger (officers)", parameters=[YEAR]),
    retrieve=extend_schema(summary="A ledger entry (officers)"),
)
class LedgerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LedgerEntrySerializer

    def get_queryset(self) -> QuerySet:
        entries = LedgerEntry.objects.visible_to(self.request.user).select_related(
            "fund", "recorded_by"
        )
        year = self.request.query_params.get("year")
        if year and year.isdigit():
            entries = entries.filter(fund__year=int(year))
        return entries.order_by("pk")
