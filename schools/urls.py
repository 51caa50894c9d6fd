from django.urls import path

from . import import_views, views

app_name = "schools"

urlpatterns: list = [
    path("", views.register, name="list"),
    path("export.csv", views.export, name="export"),
    path("suggestions/<slug:field>/", views.suggestions, name="suggestions"),
    path("<int:urn>/", views.detail, name="detail"),
    path("<int:urn>/opt-out/", views.opt_out, name="opt-out"),
    path("import/", import_views.gias_import_page, name="import"),
    path("import/<int:pk>/", import_views.gias_import_job, name="import-job"),
]
