"""API for the school register and trusts: read-only, since the register comes from GIAS.

Each school's current cluster and alliance come from the placement the ``clusters`` app
provides (``schools.extensions``); moving a school between clusters is that app's
(``clusters.api.RegisterSchoolViewSet``).
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from kernel.api_fields import IdFilter
from kernel.api_permissions import RulesPermission
from partnership.permissions import roles_of

from .extensions import placement
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


class SchoolFilter(django_filters.FilterSet):
    trust = IdFilter(field_name="trust_id", label="Trust id")
    cluster = IdFilter(method="filter_cluster", label="Current cluster id")
    alliance = IdFilter(method="filter_alliance", label="Current alliance id")

    class Meta:
        model = School
        fields = ["phase", "type_group", "la_code", "status", "opted_out", "trust"]

    def filter_cluster(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(placement().in_cluster(value))

    def filter_alliance(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(placement().in_alliance(value))


@extend_schema_view(
    list=extend_schema(
        summary="List the schools you can see",
        description="Search matches the name, the exact URN or the postcode. Order by name, "
        "urn, la_code, phase, status or number_of_pupils; put - before a field to reverse it.",
    ),
    retrieve=extend_schema(summary="One school, by its URN"),
)
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """The school register, as imported from GIAS, with each school's current cluster."""

    serializer_class = SchoolSerializer
    permission_classes = [RulesPermission]
    read_permission = "schools.view_school"
    lookup_field = "urn"
    lookup_value_regex = r"\d+"
    filterset_class = SchoolFilter
    search_fields = ["name", "=urn", "postcode"]
    ordering_fields = ["name", "urn", "la_code", "phase", "status", "number_of_pupils"]
    ordering = ["name", "urn"]

    def get_queryset(self) -> QuerySet:
        schools = School.objects.visible_to(self.request.user).select_related("trust")
        return placement().annotate(schools)


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
