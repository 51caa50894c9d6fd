"""Brokerage's pages: the provider directory, support cases and engagements."""

from django.urls import path

from .case_urls import urlpatterns as case_urls
from .engagement_urls import urlpatterns as engagement_urls
from .provider_urls import urlpatterns as provider_urls
from .support_views import support_home

app_name = "brokerage"
urlpatterns = [path("", support_home, name="home"), *provider_urls, *case_urls, *engagement_urls]
