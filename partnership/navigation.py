"""Navigation by role: each item is shown only to users holding its permission."""

from django.urls import NoReverseMatch, reverse

ITEMS = [
    ("Home", "home", None),
    ("Schools", "schools:list", "schools.view_register"),
    ("Structure", "clusters:structure", "clusters.view_structure"),
    ("Imports", "schools:import", "schools.import_register"),
    ("People", "partnership:people", "partnership.manage_people"),
    ("Audit trail", "partnership:audit", "partnership.view_audit"),
    ("API", "api-docs", "schools.view_register"),
]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for label, url_name, perm in ITEMS:
        if perm and not user.has_perm(perm):
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:  # a section whose pages are not installed yet
            continue
        active = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"label": label, "href": href, "active": active})
    return items
