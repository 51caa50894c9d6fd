from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/present/", views.present, name="dashboard-present"),
    path("dashboard/alliances/<int:pk>/", views.alliance_dashboard, name="alliance-dashboard"),
    path(
        "dashboard/alliances/<int:pk>/present/",
        views.alliance_present,
        name="alliance-present",
    ),
    path(
        "dashboard/meetings/<int:pk>/present/",
        views.present_control,
        name="dashboard-present-control",
    ),
]
