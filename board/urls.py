from django.urls import include, path

from . import views

app_name = "board"

urlpatterns = [
    # Under People, where officers have always found it.
    path("people/audit/", views.audit, name="audit"),
    path("", include("board.meeting_urls")),
    path("", include("board.pack_urls")),
    path("", include("board.dashboard_urls")),
]
