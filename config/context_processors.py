from django.conf import settings


def site(request) -> dict:
    """`site_name` for every template: the one place the site's name comes from (SITE_NAME)."""
    return {"site_name": settings.SITE_NAME}
