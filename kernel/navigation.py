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
# A section's own pages (secondary navigation under it), by the section's url_name.
SUBNAVIGATION: dict[str, dict[str, NavItem]] = {}


def nav_register(label: str, url_name: str, *, permission: str | None, order: int) -> None:
    """Add a section to the service navigation, shown to users holding ``permission``."""
    NAVIGATION[url_name] = NavItem(label, url_name, permission, order)


def subnav_register(
    section: str, label: str, url_name: str, *, permission: str | None, order: int
) -> None:
    """Add a page to the secondary navigation of the section registered as ``section`` (its
    url_name), shown on the section's pages to users holding ``permission``."""
    SUBNAVIGATION.setdefault(section, {})[url_name] = NavItem(label, url_name, permission, order)


def _visible(user, items) -> list[dict]:
    shown = []
    for item in sorted(items, key=lambda item: item.order):
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            shown.append({"label": item.label, "href": reverse(item.url_name), "active": False})
        except NoReverseMatch:
            continue
    return shown


def _mark_active(request, items: list[dict]) -> None:
    matches = [
        i
        for i in items
        if request.path == i["href"] or (i["href"] != "/" and request.path.startswith(i["href"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True


def section_navigation_for(request) -> dict | None:
    """The secondary navigation of the section the page is in: its label and its pages the user
    may see (None outside a section that has one)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    for url_name, pages in SUBNAVIGATION.items():
        section = NAVIGATION.get(url_name)
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        if section is None or href == "/" or not request.path.startswith(href):
            continue
        items = _visible(user, pages.values())
        _mark_active(request, items)
        return {"label": section.label, "items": items} if len(items) > 1 else None
    return None


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = _visible(user, NAVIGATION.values())
    # The section is the longest address the current page starts with (/schools/import/ is
    # Imports, not Schools); Home only on the home page itself.
    _mark_active(request, items)
    return items
