"""API for the provider directory: read for every role, written by LA officers (any entry), a
provider (the entries it keeps) and a headteacher (their own school's offer), the same rules as
the pages (``brokerage/rules.py``) and the same services."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from kernel.access import require
from kernel.api import VisibleSlugRelatedField, read_input, service_errors
from kernel.api_fields import IdFilter
from kernel.api_permissions import RulesPermission
from partnership.models import Role, User
from partnership.permissions import roles_of
from schools.models import Phase, School, Trust

from .models import Expertise, Provider, ProviderKind
from .provider_selectors import providers_with_figures
from .provider_services import provider_create, provider_update

OFFICERS_ONLY = "Only LA officers can set this"
OWN_SCHOOL_ONLY = "You can only offer your own school's strengths"


class TrackRecordSerializer(serializers.Serializer):
    good = serializers.IntegerField(help_text="Impact decisions: complete, continue or extend")
    stopped = serializers.IntegerField(help_text="Impact decisions: stop")


class ProviderSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(
        source="school.urn", read_only=True, allow_null=True, help_text="URN"
    )
    school_name = serializers.CharField(source="school.name", read_only=True, allow_null=True)
    trust_name = serializers.CharField(source="trust.name", read_only=True, allow_null=True)
    expertise = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    days_used = serializers.DecimalField(
        max_digits=7, decimal_places=1, read_only=True, help_text="Days committed this term"
    )
    spare_days = serializers.DecimalField(
        max_digits=7, decimal_places=1, read_only=True, help_text="Days free this term"
    )
    track_record = serializers.SerializerMethodField()

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "kind",
            "person",
            "school",
            "school_name",
            "trust",
            "trust_name",
            "expertise",
            "phases",
            "capacity_days_per_term",
            "days_used",
            "spare_days",
            "can_be_paid",
            "vat_registered",
            "active",
            "description",
            "track_record",
        ]
        read_only_fields = fields

    @extend_schema_field(TrackRecordSerializer)
    def get_track_record(self, provider: Provider) -> dict:
        return {"good": provider.decisions_good, "stopped": provider.decisions_stop}


class ProviderWriteSerializer(serializers.Serializer):
    """Every field optional on a change: only those sent are changed."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ProviderKind.choices, required=False)
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The user who keeps the entry (LA officers only)",
    )
    school = VisibleSlugRelatedField(
        slug_field="urn",
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text="The school's URN",
        error_messages={"does_not_exist": "There is no school with URN {value}"},
    )
    trust = serializers.PrimaryKeyRelatedField(
        queryset=Trust.objects.all(), required=False, allow_null=True
    )
    expertise = serializers.SlugRelatedField(
        slug_field="name", queryset=Expertise.objects.all(), many=True, required=False
    )
    phases = serializers.ListField(
        child=serializers.ChoiceField(choices=Phase.choices), required=False
    )
    capacity_days_per_term = serializers.IntegerField(min_value=0, required=False)
    can_be_paid = serializers.BooleanField(required=False)
    vat_registered = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ProviderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProviderKind.choices)
    active = django_filters.BooleanFilter()
    expertise = IdFilter(field_name="expertise", label="Offers the area of expertise with id")
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices, method="filter_phase", label="Works with the phase"
    )

    class Meta:
        model = Provider
        fields = ["kind", "active", "expertise", "phase"]

    def filter_phase(self, queryset, name, value):
        return queryset.filter(phases__icontains=f'"{value}"')


def _checked(user, data: dict, provider: Provider | None = None) -> dict:
    """What this user may set: officers anything; a headteacher their own school's offer; a
    provider the details of the entries it keeps (it is their person)."""
    roles = roles_of(user)
    if roles.is_officer:
        return data
    for name in ("person", "trust"):
        if name in data:
            raise serializers.ValidationError({name: OFFICERS_ONLY})
    if Role.PROVIDER in roles.roles and (provider is None or provider.person_id == user.pk):
        if "school" in data or data.get("kind") == ProviderKind.SCHOOL:
            raise serializers.ValidationError({"school": OFFICERS_ONLY})
        return data | ({"person": user} if provider is None else {})
    school = data.get("school", provider.school if provider else None)
    kind = data.get("kind", provider.kind if provider else ProviderKind.SCHOOL)
    if kind != ProviderKind.SCHOOL or school is None or school.pk not in roles.school_ids:
        raise PermissionDenied(OWN_SCHOOL_ONLY)
    return data | {"kind": ProviderKind.SCHOOL}


@extend_schema_view(
    list=extend_schema(
        summary="List the support providers",
        description="The directory, with each entry's capacity used this term and track record. "
        "Search matches the name.",
    ),
    retrieve=extend_schema(summary="One support provider"),
    create=extend_schema(
        summary="Add a support provider",
        description="LA officers add any entry; a provider adds one it keeps; a headteacher "
        "offers their own school's strengths (kind school).",
        request=ProviderWriteSerializer,
        responses={201: ProviderSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a support provider (LA officers and the entry's keeper)",
        request=ProviderWriteSerializer,
        responses=ProviderSerializer,
    ),
)
class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The directory of support providers (Wigan's "directory of good practice")."""

    serializer_class = ProviderSerializer
    permission_classes = [RulesPermission]
    read_permission = "brokerage.view_providers"
    write_permission = "brokerage.add_provider"
    filterset_class = ProviderFilter
    search_fields = ["name"]
    ordering_fields = ["name", "capacity_days_per_term"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        providers = Provider.objects.visible_to(self.request.user)
        providers = providers_with_figures(providers).select_related("school", "trust")
        return providers.prefetch_related("expertise")

    def respond(self, provider: Provider, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=provider.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs) -> Response:
        data = _checked(request.user, read_input(self, ProviderWriteSerializer))
        with service_errors():
            provider = provider_create(by=request.user, **data)
        return self.respond(provider, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs) -> Response:
        provider = self.get_object()
        require(request.user, "brokerage.change_provider", provider)
        data = _checked(request.user, read_input(self, ProviderWriteSerializer), provider)
        with service_errors():
            provider = provider_update(provider=provider, by=request.user, **data)
        return self.respond(provider)
