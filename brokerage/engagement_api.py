"""API for engagements: list and retrieve those you may see (``Engagement.objects.visible_to``,
as on the pages); the provider posts progress notes through ``progress_note_create``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from kernel.api import read_input, service_errors
from kernel.api_permissions import RulesPermission

from .engagement_services import progress_note_create
from .models import Engagement, Objective, ProgressNote, ProgressReview


class ObjectiveSerializer(serializers.ModelSerializer):
    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "description", "impact_measure", "measure"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReview
        fields = ["id", "reviewed_on", "visited_on", "overall", "judgement", "ratings"]
        read_only_fields = fields

    def get_ratings(self, review: ProgressReview) -> dict[str, str]:
        """Objective id → red, amber or green."""
        return {str(r.objective_id): r.rating for r in review.ratings.all()}


class EngagementSerializer(serializers.ModelSerializer):
    urn = serializers.IntegerField(source="case.school.urn", read_only=True)
    school_name = serializers.CharField(source="case.school.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "case",
            "urn",
            "school_name",
            "provider",
            "provider_name",
            "alliance",
            "state",
            "days",
            "cost",
            "review_every_weeks",
            "next_review_due",
            "commissioned_at",
            "ended_at",
            "impact_decision",
            "impact_reason",
            "impact_decided_at",
            "objectives",
            "reviews",
        ]
        read_only_fields = fields


class ProgressNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressNote
        fields = ["id", "engagement", "objective", "visited_on", "note", "created_at"]
        read_only_fields = fields


class ProgressNoteInput(serializers.Serializer):
    note = serializers.CharField(help_text="What was done")
    visited_on = serializers.DateField(required=False, allow_null=True)
    objective = serializers.IntegerField(
        required=False, allow_null=True, help_text="The id of one of the engagement's objectives"
    )


@extend_schema_view(
    list=extend_schema(
        summary="The engagements you may see",
        description="Officers and the board see all; an alliance chair their alliance's; a "
        "provider those brokered to them; a headteacher their own school's.",
    ),
    retrieve=extend_schema(summary="One engagement, with its objectives and reviews"),
    progress=extend_schema(
        summary="Log progress on a commissioned engagement (its provider)",
        request=ProgressNoteInput,
        responses={201: ProgressNoteSerializer},
    ),
)
class EngagementViewSet(viewsets.ReadOnlyModelViewSet):
    """Support commissioned from providers, followed to an impact decision."""

    serializer_class = EngagementSerializer
    permission_classes = [RulesPermission]
    filterset_fields = ["state"]
    search_fields = ["case__school__name", "provider__name"]
    ordering_fields = ["id", "next_review_due"]
    ordering = ["-id"]

    def get_queryset(self) -> QuerySet:
        reviews = ProgressReview.objects.prefetch_related("ratings")
        return (
            Engagement.objects.visible_to(self.request.user)
            .select_related("case__school", "provider")
            .prefetch_related("objectives__measure", Prefetch("reviews", queryset=reviews))
        )

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def progress(self, request, *args, **kwargs) -> Response:
        engagement = self.get_object()
        if not request.user.has_perm("brokerage.log_progress", engagement):
            raise PermissionDenied("Only the engagement's provider can log progress")
        data = read_input(self, ProgressNoteInput)
        objective = None
        if data.get("objective"):
            objective = engagement.objectives.filter(pk=data["objective"]).first()
            if objective is None:
                raise serializers.ValidationError({"objective": "Not one of its objectives"})
        with service_errors():
            note = progress_note_create(
                engagement=engagement,
                note=data["note"],
                visited_on=data.get("visited_on"),
                objective=objective,
                by=request.user,
            )
        return Response(ProgressNoteSerializer(note).data, status=status.HTTP_201_CREATED)
