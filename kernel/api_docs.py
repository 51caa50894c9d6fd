"""The API documentation as a GOV.UK page, read from the OpenAPI schema drf-spectacular
generates for every app's endpoints."""

from __future__ import annotations

import functools
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator


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
