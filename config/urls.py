from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from board import views as board_views
from kernel import api_docs
from kernel import views as kernel_views
from partnership import api as partnership_api
from partnership import views as partnership_views
from partnership.forms import EmailAuthenticationForm

urlpatterns = [
    path("", board_views.home, name="home"),
    path("", include("board.urls")),
    path("jobs/<int:pk>/", kernel_views.job_detail, name="job-detail"),
    # Uploaded files are private: never served from MEDIA_URL, only through this view.
    path("jobs/<int:pk>/file/", kernel_views.job_file, name="job-file"),
    path("healthz", kernel_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        partnership_views.PasswordResetThrottledView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("schools/", include("schools.urls")),
    path("structure/", include("clusters.urls")),
    path("people/", include("partnership.urls")),
    path("categorisation/", include("categorisation.urls")),
    path("support/", include("brokerage.urls")),
    path("fund/", include("funding.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.api_docs, name="api-docs"),
    path("api/token/", partnership_api.obtain_auth_token, name="api-token"),
    path("admin/", admin.site.urls),
]
