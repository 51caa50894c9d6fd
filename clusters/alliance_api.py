"""API for the area alliances (level 2). Writes (LA officers) go through the structure services
in ``clusters/services.py``; a service's ``ValidationError`` becomes a 400 carrying its message.
"""

from __future__ import annotations

import django_filters
from django.db.models import OuterRef, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kernel.api import (
    EffectiveDateSerializer,
    VisiblePrimaryKeyRelatedField,
    count_of,
    read_input,
    service_errors,
)
from partnership.models import Alliance, Partnership
from partnership.selectors import partnership_get

from .api import StructureViewSet
from .api_fields import StructureNameField
from .models import Cluster
from .services import alliance_close, alliance_create, alliance_merge, alliance_rename


class AllianceSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)
    open_cluster_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "description",
            "partnership",
            "created_on",
            "closed_on",
            "merged_into",
            "is_open",
            "open_cluster_count",
        ]
        read_only_fields = fields


class AllianceCreateSerializer(serializers.Serializer):
    name = StructureNameField(what="alliance")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.all(),
        required=False,
        help_text="Only needed when more than one partnership is set up",
    )


class AllianceRenameSerializer(serializers.Serializer):
    name = StructureNameField(what="alliance")


class AllianceMergeSerializer(EffectiveDateSerializer):
    target = VisiblePrimaryKeyRelatedField(
        queryset=Alliance.objects.all(),
        help_text="The alliance that takes over this one's open clusters",
    )


class AllianceFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label="Open (true) or closed (false)"
    )

    class Meta:
        model = Alliance
        fields = ["open"]


@extend_schema_view(
    list=extend_schema(
        summary="List the area alliances you can see",
        description="Search matches the name. Order by name, created_on or closed_on; put - "
        "before a field to reverse it.",
    ),
    retrieve=extend_schema(summary="One area alliance"),
    create=extend_schema(
        summary="Create an area alliance (LA officers)",
        request=AllianceCreateSerializer,
        responses={201: AllianceSerializer},
    ),
    partial_update=extend_schema(
        summary="Rename an area alliance (LA officers)",
        request=AllianceRenameSerializer,
        responses=AllianceSerializer,
    ),
    close=extend_schema(
        summary="Close an area alliance with no open clusters (LA officers)",
        request=EffectiveDateSerializer,
        responses=AllianceSerializer,
    ),
    merge=extend_schema(
        summary="Merge this alliance into another (LA officers)",
        description="Moves this alliance's open clusters to the target and closes this one.",
        request=AllianceMergeSerializer,
        responses=AllianceSerializer,
    ),
)
class AllianceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StructureViewSet):
    """Area alliances (level 2): each co-ordinates several family clusters."""

    serializer_class = AllianceSerializer
    filterset_class = AllianceFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_on", "closed_on"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        open_clusters = Cluster.objects.active().filter(alliance=OuterRef("pk"))
        alliances = Alliance.objects.all().visible_to(self.request.user)
        return alliances.annotate(open_cluster_count=count_of(open_clusters, by="alliance"))

    def create(self, request, *args, **kwargs) -> Response:
        data = read_input(self, AllianceCreateSerializer)
        with service_errors():
            partnership = data.get("partnership") or partnership_get()
            alliance = alliance_create(
                partnership=partnership,
                name=data["name"],
                description=data["description"],
                by=request.user,
            )
        return self.respond(alliance, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs) -> Response:
        alliance = self.get_object()
        data = read_input(self, AllianceRenameSerializer)
        with service_errors():
            alliance = alliance_rename(alliance=alliance, name=data["name"], by=request.user)
        return self.respond(alliance)

    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs) -> Response:
        alliance = self.get_object()
        data = read_input(self, EffectiveDateSerializer)
        with service_errors():
            alliance = alliance_close(alliance=alliance, on=data.get("on"), by=request.user)
        return self.respond(alliance)

    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs) -> Response:
        source = self.get_object()
        data = read_input(self, AllianceMergeSerializer)
        with service_errors():
            target = alliance_merge(
                source=source, target=data["target"], on=data.get("on"), by=request.user
            )
        return self.respond(target)
