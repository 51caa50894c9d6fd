"""Pages of brokerage: the provider directory and matching (namespace ``brokerage``)."""

from django.urls import path

from . import provider_views as views

urlpatterns = [
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/new/", views.provider_create, name="provider-create"),
    path("providers/match/", views.provider_match, name="provider-match"),
    path("providers/expertise/", views.expertise_list, name="expertise-list"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("providers/<int:pk>/active/", views.provider_set_active, name="provider-set-active"),
    path("providers/<int:pk>/conflicts/new/", views.conflict_declare, name="conflict-declare"),
    path(
        "providers/<int:pk>/conflicts/<int:conflict_pk>/withdraw/",
        views.conflict_withdraw,
        name="conflict-withdraw",
    ),
]
