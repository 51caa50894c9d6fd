"""The admin's history pages (django-simple-history), shared by every app's admin."""

from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages answer 404 to ids that are not ids:
    simple-history hands the URL's text to the database, a server error for ``abc``."""

    def _check_ids(self, object_id: str, version_id: str | None = None) -> None:
        try:
            self.model._meta.pk.to_python(object_id)
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404("No such record") from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
