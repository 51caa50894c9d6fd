"""Pages for peer reviews, visit notes and self-evaluation (under /structure/)."""

from django.urls import path

from . import peer_views, visit_views

urlpatterns = [
    path("peer-reviews/", peer_views.cycle_list, name="peer-cycle-list"),
    path("peer-reviews/new/", peer_views.cycle_create, name="peer-cycle-create"),
    path("peer-reviews/<int:pk>/", peer_views.cycle_detail, name="peer-cycle-detail"),
    path("peer-reviews/<int:pk>/propose/", peer_views.cycle_propose, name="peer-cycle-propose"),
    path(
        "peer-reviews/<int:pk>/opt-out/<int:urn>/",
        peer_views.cycle_opt_out,
        name="peer-cycle-opt-out",
    ),
    path("peer-reviews/reviews/<int:pk>/", peer_views.review_detail, name="peer-review-detail"),
    path("peer-reviews/reviews/<int:pk>/move/", peer_views.review_move, name="peer-review-move"),
    path(
        "peer-reviews/reviews/<int:pk>/schedule/",
        peer_views.review_schedule,
        name="peer-review-schedule",
    ),
    path(
        "peer-reviews/reviews/<int:pk>/findings/",
        peer_views.review_findings,
        name="peer-review-findings",
    ),
    path(
        "peer-reviews/reviews/<int:pk>/sharing/",
        peer_views.review_sharing,
        name="peer-review-sharing",
    ),
    path("visits/schools/<int:urn>/", visit_views.visit_list, name="visit-list"),
    path("visits/schools/<int:urn>/new/", visit_views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/respond/", visit_views.visit_respond, name="visit-respond"),
    path("visits/<int:pk>/correct/", visit_views.visit_correct, name="visit-correct"),
    path("visits/attachments/<int:pk>/", visit_views.visit_attachment, name="visit-attachment"),
    path("self-evaluation/<int:urn>/", visit_views.self_evaluation, name="self-evaluation"),
]
