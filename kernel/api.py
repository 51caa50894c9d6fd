"""What every app's API shares: service errors as 400s, related fields that choose only from
what the requesting user may see, correlated counts, input serializers, effective dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce
from rest_framework import serializers


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's Django ValidationError into a DRF 400 that keeps the service's message."""
    try:
        yield
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


class _VisibleRelatedMixin:
    """Chooses from only the objects the requesting user may see, through the model's own
    ``visible_to(user)`` (the permission layer)."""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.context["request"].user)


class VisiblePrimaryKeyRelatedField(_VisibleRelatedMixin, serializers.PrimaryKeyRelatedField):
    """A related object chosen by id, from those the requesting user may see."""


class VisibleSlugRelatedField(_VisibleRelatedMixin, serializers.SlugRelatedField):
    """A related object chosen by a unique field (a school's URN), from those the user may see."""


def count_of(queryset: QuerySet, *, by: str) -> Coalesce:
    """A correlated COUNT subquery: unlike Count() over a join, the permission layer's scoping
    joins on the same relation can neither filter nor multiply it."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def read_input(view, serializer_class: type[serializers.Serializer]) -> dict:
    """The request body, validated by an input serializer (400 with field errors if not)."""
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class EffectiveDateSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The date the change takes effect: today or earlier; today if left out",
    )
