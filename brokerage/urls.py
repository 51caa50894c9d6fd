"""Brokerage's pages: the provider directory, support cases and engagements."""

from .case_urls import urlpatterns as case_urls
from .engagement_urls import urlpatterns as engagement_urls
from .provider_urls import urlpatterns as provider_urls

app_name = "brokerage"
urlpatterns = [*provider_urls, *case_urls, *engagement_urls]
