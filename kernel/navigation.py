"""Navigation by role: each app registers its sections; a user sees those they may reach.

An app calls ``nav_register`` in its ``AppConfig.ready``; ``order`` places the section in the
service navigation (Home 10, Schools 20, Structure 30, Categorisation 40, Imports 50, People 60,
Audit trail 70, API 80: a new app picks a number between).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    order: int


NAVIGATION: dict[str, NavItem] = {}


def nav_register(label: str, url_name: str, *, permission: str | None, order: int) -> None:
    """Add a section to the service navigation, shown to users holding ``permission``."""
    NAVIGATION[url_name] = NavItem(label, url_name, permission, order)


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in sorted(NAVIGATION.values(), key=lambda item: item.order):
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:  # a section whose pages are not installed yet
            continue
        items.append({"label": item.label, "href": href, "active": False})
    # The section is the longest address the current page starts with (/schools/import/ is
    # Imports, not Schools); Home only on the home page itself.
    matches = [
        i
        for i in items
        if request.path == i["href"] or (i["href"] != "/" and request.path.startswith(i["href"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True
    return items
