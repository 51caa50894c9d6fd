"""API for the school register and trusts: read-only, since the register comes from GIAS.

The one write is moving a school between clusters, which goes through ``school_move``.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clusters.api import MembershipSerializer
from clusters.models import Cluster, ClusterMembership
from clusters.services import school_move
from partnership.api import (
    STRUCTURE_WRITE,
    EffectiveDateSerializer,
    VisiblePrimaryKeyRelatedField,
    read_input,
    service_errors,
)
from partnership.api_fields import IdFilter
from partnership.api_permissions import RulesPermission
from partnership.permissions import clusters_visible_to, roles_of

from .models import School, Trust


class TrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["id", "name", "trust_type"]


class SchoolSerializer(serializers.ModelSerializer):
    trust = TrustSerializer(read_only=True, allow_null=True)
    cluster = serializers.IntegerField(
        source="current_cluster_id", read_only=True, allow_null=True, help_text="Current cluster"
    )
    cluster_name = serializers.CharField(read_only=True, allow_null=True)
    alliance = serializers.IntegerField(
        source="current_alliance_id", read_only=True, allow_null=True, help_text="Its alliance"
    )
    alliance_name = serializers.CharField(read_only=True, allow_null=True)
    intervention_route = serializers.CharField(read_only=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "la_code",
            "la_name",
            "establishment_type",
            "type_group",
            "is_academy",
            "phase",
            "status",
            "open_date",
            "close_date",
            "statutory_low_age",
            "statutory_high_age",
            "number_of_pupils",
            "postcode",
            "town",
            "trust",
            "ofsted_rating",
            "ofsted_last_inspection",
            "opted_out",
            "cluster",
            "cluster_name",
            "alliance",
            "alliance_name",
            "intervention_route",
        ]
        read_only_fields = fields


class SchoolMoveSerializer(EffectiveDateSerializer):
    cluster = VisiblePrimaryKeyRelatedField(
        visible=clusters_visible_to,
        queryset=Cluster.objects.all(),
        allow_null=True,
        help_text="The cluster to move the school into; null takes it out of its cluster",
    )


def _in_current_cluster(**lookups) -> Exists:
    return Exists(ClusterMembership.objects.current().filter(school=OuterRef("pk"), **lookups))


class SchoolFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id", label="Trust id")
    cluster = IdFilter(method="filter_cluster", label="Current cluster id")
    alliance = IdFilter(method="filter_alliance", label="Current alliance id")

    class Meta:
        model = School
        fields = ["phase", "type_group", "la_code", "status", "opted_out", "trust"]

    def filter_cluster(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(_in_current_cluster(cluster_id=value))

    def filter_alliance(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(_in_current_cluster(cluster__alliance_id=value))


@extend_schema_view(
    list=extend_schema(
        summary="List the schools you can see",
        description="Search matches the name, the exact URN or the postcode. Order by name, "
        "urn, la_code, phase, status or number_of_pupils; put - before a field to reverse it.",
    ),
    retrieve=extend_schema(summary="One school, by its URN"),
    move=extend_schema(
        summary="Move a school to another cluster (LA officers)",
        description="Ends the school's current cluster membership and starts one in the "
        "chosen cluster; a null cluster just takes it out of its cluster.",
        request=SchoolMoveSerializer,
        responses={200: MembershipSerializer, 204: None},
    ),
)
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """The school register, as imported from GIAS, with each school's current cluster."""

    serializer_class = SchoolSerializer
    permission_classes = [RulesPermission]
    read_permission = "schools.view_school"
    write_permission = STRUCTURE_WRITE
    lookup_field = "urn"
    lookup_value_regex = r"\d+"
    filterset_class = SchoolFilter
    search_fields = ["name", "=urn", "postcode"]
    ordering_fields = ["name", "urn", "la_code", "phase", "status", "number_of_pupils"]
    ordering = ["name", "urn"]

    def get_queryset(self) -> QuerySet:
        # One current membership per school (a database constraint), so this join adds no rows.
        return (
            School.objects.visible_to(self.request.user)
            .select_related("trust")
            .annotate(
                current=FilteredRelation(
                    "cluster_memberships", condition=Q(cluster_memberships__ended_on__isnull=True)
                ),
                current_cluster_id=F("current__cluster_id"),
                cluster_name=F("current__cluster__name"),
                current_alliance_id=F("current__cluster__alliance_id"),
                alliance_name=F("current__cluster__alliance__name"),
            )
        )

    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs) -> Response:
        school = self.get_object()
        data = read_input(self, SchoolMoveSerializer)
        with service_errors():
            membership = school_move(
                school=school, cluster=data["cluster"], on=data.get("on"), by=request.user
            )
        if membership is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(MembershipSerializer(membership).data)


class TrustFilter(django_filters.FilterSet):
    class Meta:
        model = Trust
        fields = ["trust_type"]


@extend_schema_view(
    list=extend_schema(
        summary="List trusts",
        description="Search matches the name. Order by name; -name reverses it.",
    ),
    retrieve=extend_schema(summary="One trust"),
)
class TrustViewSet(viewsets.ReadOnlyModelViewSet):
    """Academy and foundation trusts, named as in GIAS: every trust for the partnership-wide
    roles, otherwise only the trusts of schools you can see."""

    serializer_class = TrustSerializer
    permission_classes = [RulesPermission]
    read_permission = "schools.view_register"
    filterset_class = TrustFilter
    search_fields = ["name"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        if roles_of(user).sees_whole_partnership:
            return Trust.objects.all()
        visible = School.objects.visible_to(user).filter(trust_id__isnull=False)
        return Trust.objects.filter(pk__in=visible.values("trust_id"))
