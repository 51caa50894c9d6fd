"""API for family clusters and cluster memberships (with their history).

Reads are scoped by ``Cluster.objects.visible_to`` and ``School.objects.visible_to``; writes
(LA officers) go through the structure services.
"""

from __future__ import annotations

import django_filters
from django.db.models import OuterRef, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kernel.api import (
    EffectiveDateSerializer,
    VisiblePrimaryKeyRelatedField,
    VisibleSlugRelatedField,
    count_of,
    read_input,
    service_errors,
)
from kernel.api_fields import IdFilter
from kernel.api_permissions import RulesPermission
from partnership.models import Alliance, User
from schools.api import SchoolViewSet
from schools.models import School

from .api_fields import StructureNameField, StructureTextField
from .models import Cluster, ClusterMembership
from .services import (
    LINKED_HUB,
    SIP,
    cluster_close,
    cluster_create,
    cluster_merge,
    cluster_update,
    school_move,
)

CLUSTER_NOT_FOUND = {"does_not_exist": "There is no cluster with id {pk_value}"}


STRUCTURE_WRITE = "clusters.change_structure"


class StructureViewSet(viewsets.GenericViewSet):
    """Shared by the structure resources: officers write, everyone reads what they may see."""

    permission_classes = [RulesPermission]
    read_permission = "clusters.view_structure"
    write_permission = STRUCTURE_WRITE

    def respond(self, obj, status_code: int = status.HTTP_200_OK) -> Response:
        """The object as the list shows it (annotations included), re-read after a write."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


class ClusterSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    communication_lead_name = serializers.SerializerMethodField()
    is_open = serializers.BooleanField(read_only=True)
    school_count = serializers.IntegerField(read_only=True, help_text="Schools in it now")

    class Meta:
        model = Cluster
        fields = [
            "id",
            "name",
            "alliance",
            "alliance_name",
            "linked_hub",
            "school_improvement_partner",
            "communication_lead",
            "communication_lead_name",
            "created_on",
            "closed_on",
            "merged_into",
            "is_open",
            "school_count",
        ]
        read_only_fields = fields

    def get_communication_lead_name(self, cluster: Cluster) -> str | None:
        lead = cluster.communication_lead
        return str(lead) if lead else None


def _lead_field() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The user id of the cluster's communication lead",
    )


class ClusterUpdateSerializer(serializers.Serializer):
    """Every field optional: only those sent are changed."""

    name = StructureNameField(what="cluster", required=False)
    alliance = VisiblePrimaryKeyRelatedField(
        queryset=Alliance.objects.all(),
        required=False,
        error_messages={"does_not_exist": "There is no alliance with id {pk_value}"},
    )
    linked_hub = StructureTextField(label=LINKED_HUB, required=False)
    school_improvement_partner = StructureTextField(label=SIP, required=False)
    communication_lead = _lead_field()


class ClusterCreateSerializer(ClusterUpdateSerializer):
    name = StructureNameField(what="cluster")
    alliance = VisiblePrimaryKeyRelatedField(
        queryset=Alliance.objects.all(),
        error_messages={
            "required": "Choose the cluster's area alliance",
            "does_not_exist": "There is no alliance with id {pk_value}",
        },
    )


class ClusterMergeSerializer(EffectiveDateSerializer):
    target = VisiblePrimaryKeyRelatedField(
        queryset=Cluster.objects.all(),
        error_messages=CLUSTER_NOT_FOUND,
        help_text="The cluster that takes over this one's schools",
    )


class ClusterFilter(django_filters.FilterSet):
    alliance = IdFilter(field_name="alliance_id", label="Alliance id")
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label="Open (true) or closed (false)"
    )

    class Meta:
        model = Cluster
        fields = ["alliance", "open"]


@extend_schema_view(
    list=extend_schema(
        summary="List the family clusters you can see",
        description="Search matches the name. Order by name, created_on or closed_on; put - "
        "before a field to reverse it.",
    ),
    retrieve=extend_schema(summary="One family cluster"),
    create=extend_schema(
        summary="Create a family cluster (LA officers)",
        request=ClusterCreateSerializer,
        responses={201: ClusterSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a family cluster (LA officers)",
        description="Send only the fields to change; a new alliance moves the cluster.",
        request=ClusterUpdateSerializer,
        responses=ClusterSerializer,
    ),
    close=extend_schema(
        summary="Close a family cluster (LA officers)",
        description="Ends the cluster's current memberships on the closing date.",
        request=EffectiveDateSerializer,
        responses=ClusterSerializer,
    ),
    merge=extend_schema(
        summary="Merge this cluster into another (LA officers)",
        description="Moves this cluster's schools to the target and closes this one.",
        request=ClusterMergeSerializer,
        responses=ClusterSerializer,
    ),
)
class ClusterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StructureViewSet):
    """Family clusters (level 1): small local groups of schools inside an area alliance."""

    serializer_class = ClusterSerializer
    filterset_class = ClusterFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_on", "closed_on"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        members = ClusterMembership.objects.current().filter(cluster=OuterRef("pk"))
        clusters = Cluster.objects.all().visible_to(self.request.user)
        return clusters.select_related("alliance", "communication_lead").annotate(
            school_count=count_of(members, by="cluster")
        )

    def create(self, request, *args, **kwargs) -> Response:
        data = read_input(self, ClusterCreateSerializer)
        with service_errors():
            cluster = cluster_create(by=request.user, **data)
        return self.respond(cluster, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs) -> Response:
        cluster = self.get_object()
        data = read_input(self, ClusterUpdateSerializer)
        with service_errors():
            cluster = cluster_update(cluster=cluster, by=request.user, **data)
        return self.respond(cluster)

    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs) -> Response:
        cluster = self.get_object()
        data = read_input(self, EffectiveDateSerializer)
        with service_errors():
            cluster = cluster_close(cluster=cluster, on=data.get("on"), by=request.user)
        return self.respond(cluster)

    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs) -> Response:
        source = self.get_object()
        data = read_input(self, ClusterMergeSerializer)
        with service_errors():
            target = cluster_merge(
                source=source, target=data["target"], on=data.get("on"), by=request.user
            )
        return self.respond(target)


class MembershipSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="school.urn", read_only=True, help_text="URN")
    school_name = serializers.CharField(source="school.name", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    alliance = serializers.IntegerField(source="cluster.alliance_id", read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = ClusterMembership
        fields = [
            "id",
            "school",
            "school_name",
            "cluster",
            "cluster_name",
            "alliance",
            "started_on",
            "ended_on",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, membership: ClusterMembership) -> bool:
        return membership.ended_on is None


class MembershipMoveSerializer(EffectiveDateSerializer):
    school = VisibleSlugRelatedField(
        slug_field="urn",
        queryset=School.objects.all(),
        error_messages={
            "required": "Enter the school's URN",
            "does_not_exist": "There is no school with URN {value}",
            "invalid": "Enter the school's URN as a number",
        },
        help_text="The school's URN",
    )
    cluster = VisiblePrimaryKeyRelatedField(
        queryset=Cluster.objects.all(),
        allow_null=True,
        error_messages={"required": "Choose a cluster, or null to remove", **CLUSTER_NOT_FOUND},
        help_text="The cluster to move the school into; null takes it out of its cluster",
    )


class MembershipFilter(django_filters.FilterSet):
    school = IdFilter(field_name="school__urn", label="School URN")
    cluster = IdFilter(field_name="cluster_id", label="Cluster id")
    current = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label="Current (true) or ended (false)"
    )

    class Meta:
        model = ClusterMembership
        fields = ["school", "cluster", "current"]


@extend_schema_view(
    list=extend_schema(
        summary="List cluster memberships, past and current",
        description="Newest first. Order by started_on or ended_on; put - before a field to "
        "reverse it.",
    ),
    retrieve=extend_schema(summary="One cluster membership"),
    create=extend_schema(
        summary="Move a school to a cluster (LA officers)",
        description="Ends the school's current membership and starts one in the cluster; a null "
        "cluster takes the school out of its cluster (204).",
        request=MembershipMoveSerializer,
        responses={201: MembershipSerializer, 204: None},
    ),
)
class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StructureViewSet):
    """Which school was in which cluster, and when: the memberships of schools you can see."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["started_on", "ended_on"]
    ordering = ["-started_on", "-pk"]

    def get_queryset(self) -> QuerySet:
        schools = School.objects.all().visible_to(self.request.user)
        return ClusterMembership.objects.filter(school__in=schools).select_related(
            "school", "cluster"
        )

    def create(self, request, *args, **kwargs) -> Response:
        data = read_input(self, MembershipMoveSerializer)
        with service_errors():
            membership = school_move(
                school=data["school"], cluster=data["cluster"], on=data.get("on"), by=request.user
            )
        if membership is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.respond(membership, status.HTTP_201_CREATED)


class SchoolMoveSerializer(EffectiveDateSerializer):
    cluster = VisiblePrimaryKeyRelatedField(
        queryset=Cluster.objects.all(),
        allow_null=True,
        help_text="The cluster to move the school into; null takes it out of its cluster",
    )


@extend_schema_view(
    move=extend_schema(
        summary="Move a school to another cluster (LA officers)",
        description="Ends the school's current cluster membership and starts one in the "
        "chosen cluster; a null cluster just takes it out of its cluster.",
        request=SchoolMoveSerializer,
        responses={200: MembershipSerializer, 204: None},
    ),
)
class RegisterSchoolViewSet(SchoolViewSet):
    """The school register, as imported from GIAS, with each school's current cluster; LA
    officers move a school between clusters here."""

    write_permission = STRUCTURE_WRITE

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
