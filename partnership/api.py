"""API for the area alliances, token sign-in, the documentation page, and the pieces every
app's API shares.

Writes go through the structure services in ``clusters/services.py``; a service's
``ValidationError`` becomes a 400 response carrying its message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import django_filters
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from clusters.models import Cluster
from clusters.services import alliance_close, alliance_create, alliance_merge, alliance_rename

from .api_fields import StructureNameField
from .api_permissions import RulesPermission
from .models import Alliance, Partnership
from .permissions import alliances_visible_to

STRUCTURE_WRITE = "clusters.change_structure"
NO_PARTNERSHIP = "Set up the partnership before adding an alliance"


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's Django ValidationError into a DRF 400 that keeps the service's message."""
    try:
        yield
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


class _VisibleRelatedMixin:
    """Chooses from only the objects the requesting user may see, through the permission layer
    function given as ``visible`` (for example ``clusters_visible_to``)."""

    def __init__(self, *, visible: Callable[[object, QuerySet], QuerySet], **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.visible(self.context["request"].user, super().get_queryset())


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


class StructureViewSet(viewsets.GenericViewSet):
    """Shared by the structure resources: officers write, everyone reads what they may see."""

    permission_classes = [RulesPermission]
    read_permission = "clusters.view_structure"
    write_permission = STRUCTURE_WRITE

    def respond(self, obj, status_code: int = status.HTTP_200_OK) -> Response:
        """The object as the list shows it (annotations included), re-read after a write."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)


class EffectiveDateSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The date the change takes effect: today or earlier; today if left out",
    )


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
        visible=alliances_visible_to,
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


def _the_partnership() -> Partnership:
    partnership = Partnership.objects.order_by("pk").first()
    if partnership is None:
        raise serializers.ValidationError({"partnership": [NO_PARTNERSHIP]})
    return partnership


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
        alliances = alliances_visible_to(self.request.user, Alliance.objects.all())
        return alliances.annotate(open_cluster_count=count_of(open_clusters, by="alliance"))

    def create(self, request, *args, **kwargs) -> Response:
        data = read_input(self, AllianceCreateSerializer)
        partnership = data.get("partnership") or _the_partnership()
        with service_errors():
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


class EmailAuthTokenSerializer(serializers.Serializer):
    email = serializers.EmailField(write_only=True)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    token = serializers.CharField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        request = self.context["request"]
        # The plain HttpRequest: django-axes counts failures and locks out against it, as it
        # does for the sign-in page. The User model's USERNAME_FIELD is the email address.
        user = authenticate(
            getattr(request, "_request", request),
            username=attrs["email"].lower(),
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                "Enter a correct email address and password", code="authorization"
            )
        attrs["user"] = user
        return attrs


class ObtainEmailAuthToken(ObtainAuthToken):
    """POST an email address and password; get the token for the Authorization header."""

    serializer_class = EmailAuthTokenSerializer

    @extend_schema(
        summary="Get an API token with your email address and password",
        request=EmailAuthTokenSerializer,
        responses=EmailAuthTokenSerializer,
        auth=[],
    )
    def post(self, request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


obtain_auth_token = ObtainEmailAuthToken.as_view()


@functools.cache
def api_schema() -> dict:
    """The OpenAPI schema drf-spectacular generates, built once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _type_of(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return " or ".join(_type_of(part) for part in schema[combined])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = schema.get("format") or schema.get("type") or "object"
    return kind + (", or null" if schema.get("nullable") else "")


# drf-spectacular describes a choice as markdown: "* `primary` - Primary".
CHOICE = re.compile(r"\* `([^`]*)` - ([^*]+)")


def _described(item: dict, schema: dict) -> dict:
    """The item's description, with an enum's choices split out as (value, label) pairs."""
    description = item.get("description", "")
    choices = [(value, label.strip()) for value, label in CHOICE.findall(description)]
    if choices:
        description = ""
    elif "enum" in schema:
        choices = [(str(value), "") for value in schema["enum"] if value is not None]
    return {"description": description, "choices": choices}


def _body_fields(operation: dict, components: dict) -> list[dict]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" not in schema:
        return []
    body = components[schema["$ref"].rsplit("/", 1)[-1]]
    required = set(body.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(prop),
            "required": name in required,
            **_described(prop, prop),
        }
        for name, prop in body.get("properties", {}).items()
        if not prop.get("readOnly")
    ]


def api_operations() -> list[dict]:
    """Every path and method in the schema with its summary, parameters and body, by tag."""
    schema = api_schema()
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "type": _type_of(p.get("schema", {})),
                    "required": p.get("required", False),
                    **_described(p, p.get("schema", {})),
                }
                for p in operation.get("parameters", [])
            ]
            groups.setdefault(operation.get("tags", ["api"])[0], []).append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or operation["operationId"],
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "body": _body_fields(operation, components),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API documentation as a GOV.UK page, read from the generated OpenAPI schema."""
    return render(request, "api/docs.html", {"groups": api_operations()})
