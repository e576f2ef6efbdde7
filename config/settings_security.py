"""Settings for who may reach the site and how (part of config/settings.py): the secret key and
hosts, trusted proxies, the newsroom's origins (CORS), its readers' JWTs, sign-in with its OpenID
Connect provider, HTTPS and the Content-Security-Policy.
"""

import ipaddress

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.origins import canonical_origin
from config.settings_env import DEBUG, env


def _required(name: str, local_default: str) -> str:
    """A value production must set: a local default while DEBUG is on, an error once it is off."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return local_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


SECRET_KEY = _required("SECRET_KEY", "django-insecure-local-only-never-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if not DEBUG and not env.list("ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

# Reverse proxies in front of the site, through which the client's address is read from
# X-Forwarded-For (config.ratelimit.client_ip): either how many hops (the one that connects to us
# counts), or the proxies' addresses/networks, outermost first. Neither: the header is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
if TRUSTED_PROXY_COUNT and TRUSTED_PROXIES:
    raise ImproperlyConfigured("Set TRUSTED_PROXY_COUNT or TRUSTED_PROXIES, not both")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network") from None

# The newsroom's own site (embed/): the origins whose pages may frame /embed/ and call the API
# from the browser (CORS, no credentials), beside those admins add in Django admin (Embed origins).
EMBED_ORIGINS = []
for _origin in env.list("EMBED_ORIGINS", default=[]):
    try:
        EMBED_ORIGINS.append(canonical_origin(_origin))
    except ValueError as error:
        raise ImproperlyConfigured(f"EMBED_ORIGINS: {error}") from None
# New stories (a page of a permitted site asked for the first time) per IP address per period.
STORY_RATE_LIMIT = env.int("STORY_RATE_LIMIT", default=30)
STORY_RATE_PERIOD = env.int("STORY_RATE_PERIOD", default=3600)  # seconds
CORS_ALLOWED_ORIGINS = EMBED_ORIGINS
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False  # the newsroom's readers send a Bearer token, never our cookies
CORS_PREFLIGHT_MAX_AGE = 86400
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Its readers' JWTs (embed/sso.py): HS256 with SSO_JWT_SECRET, named by `kid` SSO_JWT_KID; during a
# rotation the previous secret stays valid under its own kid. Empty secret: Bearer tokens get 401.
SSO_JWT_SECRET = env.str("SSO_JWT_SECRET", default="")
SSO_JWT_KID = env.str("SSO_JWT_KID", default="")
SSO_JWT_SECRET_PREVIOUS = env.str("SSO_JWT_SECRET_PREVIOUS", default="")
SSO_JWT_KID_PREVIOUS = env.str("SSO_JWT_KID_PREVIOUS", default="")
# A token issued longer ago than this is refused whatever its `exp` says (seconds).
SSO_JWT_MAX_AGE = env.int("SSO_JWT_MAX_AGE", default=24 * 3600)
if SSO_JWT_SECRET_PREVIOUS and not (
    SSO_JWT_KID and SSO_JWT_KID_PREVIOUS and SSO_JWT_KID != SSO_JWT_KID_PREVIOUS
):
    raise ImproperlyConfigured(
        "SSO_JWT_SECRET_PREVIOUS needs SSO_JWT_KID and SSO_JWT_KID_PREVIOUS, different"
    )
for _name in ("SSO_JWT_SECRET", "SSO_JWT_SECRET_PREVIOUS"):
    # HS256 is as strong as its key: RFC 7518 asks for at least 256 bits.
    if not DEBUG and 0 < len(vars()[_name].encode()) < 32:
        raise ImproperlyConfigured(f"{_name} must be at least 32 bytes long")

# Sign-in on our own pages with the newsroom's OpenID Connect provider (django-allauth): its issuer
# (discovery at <issuer>/.well-known/openid-configuration) and this site's client there; the
# redirect URI to register is <SITE_URL>/accounts/oidc/newsroom/login/callback/. Unset: no button.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_NAME = env.str("OIDC_NAME", default="the newsroom")  # "Sign in with the newsroom"
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "newsroom",
                "name": OIDC_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_ISSUER},
            }
        ]
        if OIDC_ISSUER
        else [],
    }
}
SOCIALACCOUNT_ADAPTER = "accounts.oidc.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button POSTs with its CSRF token
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linked by the provider's `sub`, never by email
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5  # seconds for each call to the provider
ACCOUNT_EMAIL_VERIFICATION = "none"  # our accounts app verifies addresses itself
ACCOUNT_UNIQUE_EMAIL = False

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from the site's own static files,
# no inline script, style attribute or handler (the JSON-LD is a data block, which CSP leaves be).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
