"""Web origins (`scheme://host[:port]`) as the newsroom's site and its readers' browsers name them.

Pure functions, read by the settings (EMBED_ORIGINS) and by the embed app (admins' origins, the
origin of a story's URL), so both compare the same spelling.
"""

from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_origin(value: str) -> str:
    """`value` as an origin: scheme and host lower-cased, a default port dropped, nothing after it.

    Raises ValueError for anything else (a path, a query, credentials, another scheme).
    """
    parts = urlsplit(value.strip())
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an origin (scheme://host[:port], nothing after it)")
    return origin_of(value)


def origin_of(url: str) -> str:
    """The origin of an absolute http(s) URL, as canonical_origin spells it; ValueError otherwise."""
    if any(ord(c) < 33 or ord(c) == 127 for c in url.strip()):
        raise ValueError("spaces or control characters in the address")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"{url!r}: only http and https addresses")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{url!r}: no user name or password in the address")
    host = parts.hostname  # lower-cased by urlsplit
    if not host:
        raise ValueError(f"{url!r}: no host")
    port = parts.port  # ValueError when not a number in range
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS[scheme] else "")
