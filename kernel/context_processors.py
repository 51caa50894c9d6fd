from django.conf import settings

from .navigation import navigation_for, section_navigation_for


def service(request):
    """The service name and the navigation items this user may reach."""
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        "section_navigation": section_navigation_for(request),
    }
