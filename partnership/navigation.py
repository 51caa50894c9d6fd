"""Navigation by role: each item is shown only to users holding its permission."""

from django.urls import NoReverseMatch, reverse

ITEMS = [
    ("Home", "home", None),
    ("Schools", "schools:list", "schools.view_register"),
    ("Structure", "clusters:structure", "clusters.view_structure"),
    ("Categorisation", "categorisation:summary", "categorisation.view_categories"),
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
        items.append({"label": label, "href": href, "active": False})
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
