from django.urls import path

from . import pack_views as views

urlpatterns = [
    path("meetings/<int:pk>/pack/", views.pack_page, name="pack"),
    path("meetings/<int:pk>/pack/create/", views.pack_create, name="pack-create"),
    path("meetings/<int:pk>/pack/<str:audience>.pdf", views.pack_download, name="pack-download"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_download, name="minutes-pdf"),
]
