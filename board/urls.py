from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    # Under People, where officers have always found it.
    path("people/audit/", views.audit, name="audit"),
]
