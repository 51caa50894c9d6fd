"""Pages of brokerage: engagements (under /support/engagements/) and email preferences."""

from django.urls import path

from . import engagement_views as views
from .preference_views import email_preferences

urlpatterns = [
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement-detail"),
    path("engagements/<int:pk>/terms/", views.engagement_terms, name="engagement-terms"),
    path(
        "engagements/<int:pk>/commission/",
        views.engagement_commission,
        name="engagement-commission",
    ),
    path("engagements/<int:pk>/objectives/new/", views.objective_create, name="objective-create"),
    path(
        "engagements/<int:pk>/objectives/<int:objective_pk>/",
        views.objective_edit,
        name="objective-edit",
    ),
    path(
        "engagements/<int:pk>/objectives/<int:objective_pk>/delete/",
        views.objective_delete,
        name="objective-delete",
    ),
    path("engagements/<int:pk>/progress/new/", views.progress_note_create, name="progress-create"),
    path("engagements/<int:pk>/reviews/new/", views.review_create, name="review-create"),
    path("engagements/<int:pk>/impact/", views.impact_decide, name="impact-decide"),
    path("email-preferences/", email_preferences, name="email-preferences"),
]
