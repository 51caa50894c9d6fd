"""The API's permission class: the django-rules permissions each app declares in ``rules.py``.

No role checks live here. A view names the rules permission for reading one object and for
writing; what a user may *list* is decided by the same ``visible_to`` queryset scoping the pages
use, so a signed-in user without a role gets an empty list rather than an error.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RulesPermission(BasePermission):
    """Signed in to read; the view's ``write_permission`` to change anything.

    On a view: ``read_permission`` (checked against the object on retrieve; optional) and
    ``write_permission`` (checked before any unsafe method, then against the object). A view
    without a ``write_permission`` is read-only for everyone.
    """

    message = "You do not have permission to do this"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        perm = getattr(view, "write_permission", None)
        return bool(perm) and user.has_perm(perm)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            perm = getattr(view, "read_permission", None)
            return perm is None or request.user.has_perm(perm, obj)
        perm = getattr(view, "write_permission", None)
        return bool(perm) and request.user.has_perm(perm, obj)
