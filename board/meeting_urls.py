from django.urls import path

from . import meeting_item_views as items
from . import meeting_views as views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_new, name="meeting-new"),
    path("meetings/schedule/", views.meeting_schedule, name="meeting-schedule"),
    path("meetings/members/", views.members, name="members"),
    path("meetings/members/new/", views.seat_new, name="seat-new"),
    path("meetings/members/<int:seat_pk>/letter/", views.member_letter, name="member-letter"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/state/", views.meeting_state, name="meeting-state"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel_view, name="meeting-cancel"),
    path("meetings/<int:pk>/invite.ics", views.meeting_invite, name="meeting-invite"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/items/new/", items.item_new, name="item-new"),
    path("meetings/items/<int:pk>/", items.item_detail, name="item-detail"),
    path("meetings/items/<int:pk>/move/", items.item_move, name="item-move"),
    path("meetings/items/<int:pk>/papers/new/", items.paper_new, name="paper-new"),
    path(
        "meetings/items/<int:pk>/declarations/new/", items.declaration_new, name="declaration-new"
    ),
    path("meetings/items/<int:pk>/decisions/new/", items.decision_new, name="decision-new"),
    path("meetings/items/<int:pk>/minutes/", items.minutes_edit, name="minutes-edit"),
    path("meetings/items/<int:pk>/approve/", items.minutes_approve_view, name="minutes-approve"),
    path("meetings/papers/<int:pk>/", items.paper_download, name="paper-download"),
]
