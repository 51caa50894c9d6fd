"""Pages of brokerage: support cases (namespace ``brokerage``, under /support/)."""

from django.urls import path

from . import case_task_views, case_views

urlpatterns: list = [
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/new/", case_views.case_create, name="case-create"),
    path("cases/time-to-support/", case_views.time_to_support, name="case-time-to-support"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/tasks/<slug:task>/", case_task_views.case_task, name="case-task"),
    path("cases/<int:pk>/state/<slug:action>/", case_views.case_state, name="case-state"),
    path("cases/<int:pk>/statutory/new/", case_views.case_statutory, name="case-statutory"),
]
