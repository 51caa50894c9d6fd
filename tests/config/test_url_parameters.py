"""Every URL pattern, requested with out-of-range and malformed parameters in its path and query
string, answers without a server error (a 4xx, or a redirect): the pages and the API as an LA
officer, the admin site as a superuser. The admin's many models share a few URL shapes, so one
model stands for each shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

BIGINT_MAX = 2**63 - 1
NUMBERS = ["0", "-1", str(2**31), str(BIGINT_MAX + 1), str(10**30)]
STRINGS = [*NUMBERS, "1e30", "abc", "x" * 300]
QUERIES = [
    {"page": str(10**30)},
    {"page": "abc"},
    {"page": "-1"},
    dict.fromkeys(["urn", "pk", "id", "school", "cluster", "alliance", "trust", "run"], 10**30),
    dict.fromkeys(["urn", "school", "cluster", "alliance", "trust", "run", "q"], "x" * 300),
]
# A route's <converter:name>, or a regular expression's (?P<name>pattern) or (pattern).
PARAMETER = re.compile(
    r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>"
    r"|\((?:\?P<(?P<group>\w+)>)?(?P<regex>[^)]*)\)"
)
ACCEPTED = {200, 204, 301, 302, 400, 403, 404, 405}


def _routes(patterns, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Each pattern's full route, with the name of the view it calls."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            yield route, f"{view.__module__}.{getattr(view, '__qualname__', view)}"


def _values(match: re.Match) -> list[str]:
    converter, regex = match["converter"], match["regex"]
    if match["group"] == "format" or converter == "drf_format_suffix":
        return ["json", "api", "xyz"]
    if regex and "|" in regex:
        return [regex.split("|")[0]]
    if converter == "int" or regex == r"\d+":
        return NUMBERS
    return STRINGS


def _urls(route: str) -> Iterator[str]:
    """The route with each parameter in turn given every awkward value, the others "1"."""
    matches = list(PARAMETER.finditer(route))

    def fill(chosen: dict[int, str]) -> str:
        url, end = "", 0
        for i, match in enumerate(matches):
            default = "json" if match["group"] == "format" else "1"
            url += route[end : match.start()] + chosen.get(i, default)
            end = match.end()
        url += route[end:]
        url = (
            url.removeprefix("^")
            .replace("/^", "/")
            .replace("$", "")
            .replace("\\.", ".")
            .replace("/?", "/")
        )
        return "/" + url

    if not matches:
        yield fill({})
    for i, match in enumerate(matches):
        for value in _values(match):
            yield fill({i: value})


ADMIN_MODEL = re.compile(r"^admin/\w+/\w+/")


def _shape(route: str) -> str:
    return ADMIN_MODEL.sub("admin/<model>/", route)


def _requests(*, admin: bool) -> list[tuple[str, str, dict]]:
    """POST and GET each awkward URL; GET each route's plain URL with awkward query strings."""
    routes = [r for r in _routes(get_resolver().url_patterns) if r[0].startswith("admin/") == admin]
    # One route for each shape and view: the first one.
    shapes = {(_shape(route), view): route for route, view in reversed(routes)}
    requests = []
    for route in dict.fromkeys(reversed(shapes.values())):
        if "logout" in route:
            continue  # signing out would leave the rest of the walk signed out
        urls = list(dict.fromkeys(_urls(route)))
        requests.extend(("get", url, query) for query in QUERIES for url in urls[:1])
        for url in urls:
            requests.extend([("get", url, {}), ("post", url, {})])
    return requests


def _server_errors(client: Client, requests: list[tuple[str, str, dict]]) -> list[str]:
    failures = []
    for method, url, query in requests:
        response = getattr(client, method)(url, query)
        if response.status_code not in ACCEPTED:
            failures.append(f"{method.upper()} {url} {query} -> {response.status_code}")
    return failures


@pytest.mark.django_db
def test_no_page_or_api_url_answers_a_server_error_to_awkward_parameters(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    failures = _server_errors(client, _requests(admin=False))
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_admin_url_answers_a_server_error_to_awkward_parameters(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    failures = _server_errors(client, _requests(admin=True))
    assert not failures, "\n".join(failures)
