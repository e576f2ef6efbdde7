"""What a kept answer of the page cache is keyed by (delivery/pagecache.py): the host as the site
spells it, and each query parameter that changes the answer as the value it reads as.

An address made up from outside must not become an entry of its own: another spelling of the
host, a made-up cursor, a value smuggled inside another parameter (`?sort=oldest%26cursor%3D…`
once joined with `&` to the key of the real "Load more" address). Such answers are built as any
and never kept.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port

from config import cursors


# How a query parameter is read before it becomes part of a key: a value that does not read is
# never kept (the view still answers), and each kept one is keyed by what it reads as.
def word(value: str) -> str:
    """A choice such as a sort (which ones, the view knows: an unknown one calls not_kept)."""
    if not (0 < len(value) <= 20 and value.isascii() and value.replace("_", "").isalpha()):
        raise ValueError("not a word")
    return value


def _digits(value: str, *, low: int, high: int) -> int:
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise ValueError("not a number in range")
    return int(value)


def number(value: str) -> int:
    """A count such as a live version: 0 to 2**53."""
    return _digits(value, low=0, high=2**53)


def row_id(value: str) -> int:
    """An id, such as a permalink's comment."""
    return _digits(value, low=1, high=2**63 - 1)


def cursor(value: str) -> tuple:
    """A page cursor the server signed (config/cursors.py), keyed by the values it holds."""
    return cursors.values(value)


def query_values(request: HttpRequest, params: tuple) -> list | None:
    """[[name, value read]] of the parameters that change the answer, or None when one does not
    read (or comes twice): such an answer is built and not kept."""
    found = []
    for name, read in params:
        given = request.GET.getlist(name)
        if not given:
            continue
        try:
            if len(given) > 1:
                raise ValueError("given twice")
            found.append([name, read(given[0])])
        except ValueError:  # BadCursor is one
            return None
    return found


def canonical_host(request: HttpRequest) -> str | None:
    """The request's host when spelled as the site's own, else None (answers for it are built
    and never kept). Own: a name in ALLOWED_HOSTS (not a pattern) or SITE_URL's, in lower case,
    without a trailing dot, and with no port or the one the server listens on when that is not
    the scheme's default: News.Example.com, news.example.com. and news.example.com:8443 would
    each have been an entry of their own."""
    try:
        host = request.get_host()  # DisallowedHost unless ALLOWED_HOSTS has it
    except DisallowedHost:
        return None
    settled = (tuple(settings.ALLOWED_HOSTS), settings.SITE_URL)
    return host if _is_own(host, request.scheme, request.META.get("SERVER_PORT"), settled) else None


# Remembered: the answer depends on these values only, and working it out again took 17 µs of a
# cached page's 180. Bounded, as a Host header is anyone's to write.
@lru_cache(maxsize=256)
def _is_own(host: str, scheme: str, server_port: str | None, settled: tuple) -> bool:
    allowed, site_url = settled
    own = {name.lower() for name in allowed if name and name != "*" and not name.startswith(".")}
    own.add((urlsplit(site_url).hostname or "").lower())
    domain, port = split_domain_port(host)
    if domain not in own:
        return False
    default = "443" if scheme == "https" else "80"
    return host == domain or (host == f"{domain}:{port}" and port == server_port and port != default)
