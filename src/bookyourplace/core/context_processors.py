from django.conf import settings


def site(request):
    """What every page's layout needs: the service name and where to go for help."""
    return {"site_url": settings.SITE_URL}
