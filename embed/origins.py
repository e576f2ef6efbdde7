"""Which sites may embed the comments: EMBED_ORIGINS and the origins admins add, merged; and the
address of a story on one of them, as the site keeps it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from config.origins import canonical_origin, origin_of

from .models import EmbedOrigin

# The admins' list, kept: embed/apps.py declares that a save or delete of an origin forgets it.
CACHE_KEY = "embed:origins"
MAX_URL = 2000


def permitted_origins() -> list[str]:
    """EMBED_ORIGINS and the admins' list, sorted: one cache read, the table when it misses."""
    added = cache.get(CACHE_KEY)
    if added is None:
        added = list(EmbedOrigin.objects.values_list("origin", flat=True))
        cache.set(CACHE_KEY, added, 300)
    return sorted({*settings.EMBED_ORIGINS, *added})


def story_url(address: str) -> str:
    """A page's address as its story keeps it: scheme and host lower-cased, default port, query and
    fragment dropped, the path (and its trailing slash) as given. ValueError when not one."""
    if len(address) > MAX_URL:
        raise ValueError(f"at most {MAX_URL} characters")
    return origin_of(address) + (urlsplit(address.strip()).path or "/")


def is_permitted(address: str) -> bool:
    """Whether the page at this (canonical) address is on a site that may embed the comments."""
    return origin_of(address) in permitted_origins()


def cors_allowed(sender, request, **kwargs) -> bool:
    """django-cors-headers' check_request_enabled: an API request from an origin added in admin."""
    origin = request.headers.get("origin")
    if not origin or not request.path_info.startswith("/api/"):
        return False
    try:
        return canonical_origin(origin) in permitted_origins()
    except ValueError:
        return False
