"""Token sign-in for API clients: an email address and password in, a token out."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


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
