from django.urls import include, path

from . import views

app_name = "clusters"

urlpatterns = [
    path("", views.structure, name="structure"),
    path("schools/<slug:which>/", views.structure_school_list, name="school-list"),
    path("alliances/new/", views.alliance_create, name="alliance-create"),
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance-detail"),
    path("alliances/<int:pk>/merge/", views.alliance_merge, name="alliance-merge"),
    path("alliances/<int:pk>/close/", views.alliance_close, name="alliance-close"),
    path("clusters/new/", views.cluster_create, name="cluster-create"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("clusters/<int:pk>/merge/", views.cluster_merge, name="cluster-merge"),
    path("clusters/<int:pk>/close/", views.cluster_close, name="cluster-close"),
    path("schools/<int:urn>/move/", views.school_move, name="school-move"),
    path("upload/", views.structure_upload, name="upload"),
    path("", include("clusters.peer_urls")),
]
