"""The structure's names and lines of text in API request bodies, checked by the structure
services' one rule, so the API refuses what the pages and the upload refuse, in the same words."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .services import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, name_validator, text_validator


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH})
class StructureNameField(serializers.CharField):
    """An alliance's or cluster's name, checked by the structure services' one rule
    (``clean_name``): the API refuses what the pages and the upload refuse, in the same words."""

    def __init__(self, *, what: str, **kwargs):
        blank = f"Enter the {what}'s name"
        kwargs["error_messages"] = {"required": blank, "blank": blank}
        super().__init__(validators=[name_validator(what)], **kwargs)


@extend_schema_field({"type": "string", "maxLength": TEXT_MAX_LENGTH})
class StructureTextField(serializers.CharField):
    """An optional line of text on a cluster, checked by the services' ``clean_text``."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(validators=[text_validator(label)], allow_blank=True, **kwargs)
