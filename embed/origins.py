"""Which sites may embed the comments: EMBED_ORIGINS and the origins admins add, merged; and the
address of a story on one of them, as the site keeps it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from config.origins import canonical_origin, origin_of
from delivery import pagecache

from .models import EmbedOrigin

_CACHE_KEY = "embed:origins"
# What the embed pages' frame-ancestors were built from (delivery/pagecache.py versions).
ORIGINS_VERSION_KEY = "embed-origins-version"
MAX_URL = 2000


def permitted_origins() -> list[str]:
    """EMBED_ORIGINS and the admins' list, sorted: one cache read, the table when it misses."""
    added = cache.get(_CACHE_KEY)
    if added is None:
        added = list(EmbedOrigin.objects.values_list("origin", flat=True))
        cache.set(_CACHE_KEY, added, 300)
    return sorted({*settings.EMBED_ORIGINS, *added})


def origins_changed() -> None:
    """Admins changed the list: forget the kept copy and the embed pages built with the old one."""
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))
    pagecache.bump_on_commit(ORIGINS_VERSION_KEY)


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
