"""API for support cases: list and retrieve the cases the user may see (scoped by
``SupportCase.objects.visible_to``, as the pages are); create a case (a head for their own
school's request, an officer for any school) through ``case_services.case_open``."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from kernel.api import VisibleSlugRelatedField, read_input, service_errors
from kernel.api_fields import BIGINT_MAX, IdFilter
from kernel.api_permissions import RulesPermission
from partnership.permissions import roles_of
from schools.models import School

from .case_selectors import with_step
from .case_services import case_open
from .models import Expertise, SupportCase, Urgency
from .time_to_support import case_days, is_overdue


class CaseSerializer(serializers.ModelSerializer):
    school_urn = serializers.IntegerField(source="school.urn", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    alliance_name = serializers.CharField(source="alliance.name", read_only=True, default=None)
    step = serializers.CharField(read_only=True, help_text="The first task not yet done")
    overdue = serializers.SerializerMethodField(help_text="Past the board's target")
    days = serializers.SerializerMethodField(
        help_text="Calendar days from the request to diagnosis, match, commission, first visit"
    )

    class Meta:
        model = SupportCase
        fields = [
            "id",
            "school_urn",
            "school_name",
            "origin",
            "state",
            "state_reason",
            "urgency",
            "description",
            "areas_of_need",
            "alliance",
            "alliance_name",
            "support_band",
            "requested_at",
            "diagnosis",
            "diagnosed_at",
            "matched_at",
            "commissioned_at",
            "first_visit_on",
            "closed_at",
            "step",
            "overdue",
            "days",
        ]
        read_only_fields = fields

    def get_overdue(self, case) -> bool:
        return is_overdue(case)

    def get_days(self, case) -> dict[str, int | None]:
        return case_days(case)


class CaseCreateSerializer(serializers.Serializer):
    school = VisibleSlugRelatedField(
        slug_field="urn", queryset=School.objects.in_partnership(), help_text="The school's URN"
    )
    origin = serializers.ChoiceField(
        choices=[c for c in SupportCase.Origin.choices if c[0] != "categorisation"],
        required=False,
        help_text="Officers only; a head's case is always the school's own request",
    )
    areas_of_need = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        required=False,
        help_text="Ids of areas of expertise",
    )

    def validate_areas_of_need(self, ids: list[int]) -> list[Expertise]:
        areas = list(Expertise.objects.filter(pk__in=set(ids)))
        if len(areas) != len(set(ids)):
            raise serializers.ValidationError("Choose areas of need from the list of expertise")
        return areas

    description = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=SupportCase.State.choices)
    alliance = IdFilter(field_name="alliance_id", label="Alliance id")

    class Meta:
        model = SupportCase
        fields = ["state", "alliance"]


@extend_schema_view(
    list=extend_schema(summary="List the support cases you can see"),
    retrieve=extend_schema(summary="One support case"),
    create=extend_schema(
        summary="Raise a support case (a head for their own school, LA officers for any)",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Support cases: one school's need, from the request to the impact decision."""

    serializer_class = CaseSerializer
    permission_classes = [RulesPermission]
    read_permission = "brokerage.view_cases"
    write_permission = "brokerage.raise_case"
    filterset_class = CaseFilter
    ordering_fields = ["requested_at"]
    ordering = ["-requested_at"]
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> QuerySet:
        cases = SupportCase.objects.visible_to(self.request.user)
        return (
            with_step(cases)
            .select_related("school", "alliance")
            .prefetch_related("areas_of_need")
            .order_by("-requested_at", "-pk")
        )

    def create(self, request, *args, **kwargs) -> Response:
        data = read_input(self, CaseCreateSerializer)
        school, user = data["school"], request.user
        if not user.has_perm("brokerage.raise_case", school):
            raise PermissionDenied
        origin = data.get("origin") if roles_of(user).is_officer else None
        with service_errors():
            case = case_open(
                school=school,
                origin=origin or SupportCase.Origin.REQUEST,
                by=user,
                description=data["description"],
                areas_of_need=data.get("areas_of_need", ()),
                urgency=data["urgency"],
            )
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
