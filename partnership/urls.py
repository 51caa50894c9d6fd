from django.urls import path

from . import people_views

app_name = "partnership"

urlpatterns = [
    path("", people_views.people, name="people"),
    path("invite/", people_views.invite, name="invite"),
    path("<int:pk>/", people_views.person, name="person"),
    path("<int:pk>/invitation/", people_views.invitation_resend, name="invitation-resend"),
    path("<int:pk>/close/", people_views.person_deactivate, name="person-deactivate"),
    path("<int:pk>/roles/<int:assignment_pk>/end/", people_views.role_end, name="role-end"),
]
