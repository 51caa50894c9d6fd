"""API for agreed categorisations: the current categorisation of the schools you may see, and
one school's history. Read-only; scoped by the same ``Result.objects.visible_to`` as the pages, so a
headteacher sees only their own school's agreed categorisation and a cluster lead none."""

from __future__ import annotations

from dataclasses import asdict

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from clusters.models import ClusterMembership
from kernel.api_fields import IdFilter
from kernel.api_permissions import RulesPermission
from schools.models import School

from .models import Result
from .selectors import Categories, explain, results_for, run_agreed_list


class CategorisationSerializer(serializers.ModelSerializer):
    urn = serializers.IntegerField(source="school.urn", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True)
    agreed_at = serializers.DateTimeField(source="run.agreed_at", read_only=True)
    rule_set_version = serializers.IntegerField(source="run.rule_set.version", read_only=True)
    category_label = serializers.SerializerMethodField()
    moderated_by = serializers.StringRelatedField(read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = [
            "urn",
            "school_name",
            "run",
            "agreed_at",
            "rule_set_version",
            "category",
            "category_label",
            "support_band",
            "score",
            "insufficient_data",
            "trigger",
            "computed_category",
            "computed_support_band",
            "moderation",
            "override_reason",
            "moderated_at",
            "moderated_by",
            "revised_data",
            "explanation",
        ]
        read_only_fields = fields

    def _categories(self, result: Result) -> Categories:
        return Categories.of(result.run.rule_set.definition)

    def get_category_label(self, result: Result) -> str:
        return self._categories(result).label(result.category)

    def get_explanation(self, result: Result) -> dict:
        """Per indicator: value, comparator, band met and points, or why it is missing; and
        the triggers that fired."""
        explained = explain(result.explanation, self._categories(result))
        return {
            "indicators": [asdict(line) for line in explained.indicators],
            "triggers": explained.triggers,
            "notes": explained.notes,
        }


class CategorisationFilter(django_filters.FilterSet):
    urn = IdFilter(field_name="school__urn", label="School URN")
    alliance = IdFilter(method="filter_alliance", label="Current alliance id")

    class Meta:
        model = Result
        fields = ["category", "support_band", "urn"]

    def filter_alliance(self, queryset: QuerySet, name: str, value) -> QuerySet:
        current = ClusterMembership.objects.current().filter(
            school_id=OuterRef("school_id"), cluster__alliance_id=value
        )
        return queryset.filter(Exists(current))


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("school", "run__rule_set", "moderated_by")


@extend_schema_view(
    list=extend_schema(
        summary="The current agreed categorisation of the schools you may see",
        description="Confidential: officers and the board see every school; an alliance chair "
        "the schools in their alliance; a headteacher only their own school; anyone else an "
        "empty list. Empty until the board agrees a categorisation.",
    ),
    retrieve=extend_schema(summary="One school's current agreed categorisation, by its URN"),
)
class CategorisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Each school's result in the run the board agreed most recently."""

    serializer_class = CategorisationSerializer
    permission_classes = [RulesPermission]
    lookup_field = "school__urn"
    lookup_url_kwarg = "urn"
    lookup_value_regex = r"\d+"
    filterset_class = CategorisationFilter
    search_fields = ["school__name", "=school__urn"]
    ordering_fields = ["category", "score"]
    ordering = ["school__name", "school__urn"]

    def get_queryset(self) -> QuerySet:
        current = run_agreed_list().values("pk")[:1]
        results = Result.objects.filter(run_id__in=current)
        return _with_related(results_for(user=self.request.user, queryset=results))


@extend_schema_view(
    list=extend_schema(
        summary="A school's categorisation history",
        description="Its result in every run the board agreed, the latest first. 404 if you "
        "cannot see the school; 403 if you can see it but not its categorisation.",
        parameters=[OpenApiParameter("urn", int, OpenApiParameter.PATH, description="URN")],
    ),
)
class SchoolCategorisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """One school's results in agreed runs, for those who may see its category."""

    serializer_class = CategorisationSerializer
    permission_classes = [RulesPermission]
    filter_backends: list = []

    def _school(self) -> School:
        try:
            school = School.objects.visible_to(self.request.user).get(urn=self.kwargs["urn"])
        except School.DoesNotExist:
            raise Http404("No such school") from None
        if not self.request.user.has_perm("categorisation.view_school_category", school):
            raise PermissionDenied("You cannot see this school's categorisation")
        return school

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Result.objects.none()
        results = Result.objects.filter(school=self._school(), run__in=run_agreed_list())
        scoped = results_for(user=self.request.user, queryset=results)
        return _with_related(scoped).order_by("-run__agreed_at", "-run_id")
