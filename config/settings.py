"""Settings, read from the environment (django-environ): here and in the parts this module imports
(config/settings_*.py), the only modules that read it.

Every value has a local default so `make run` works on a fresh machine; once DEBUG is off the
production values are required and a missing one stops the process at startup.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings_database import *  # noqa: F403
from config.settings_env import BASE_DIR, DEBUG, env
from config.settings_redis import *  # noqa: F403
from config.settings_redis import CELERY_BEAT_SCHEDULE
from config.settings_security import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "corsheaders",
    "config.apps.SiteConfig",
    "delivery",
    "accounts",
    "articles",
    "corrections",
    "comments",
    "moderation",
    "readers",
    "embed",
    # Sign-in with the newsroom's OpenID Connect provider (OIDC_ISSUER); only its login and
    # callback addresses are mounted (config/urls.py): /accounts/login/ and the rest stay ours.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "dsa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for the permitted origins on /api/ (embed/): outside the page cache, so a stored answer
    # never keeps one origin's Access-Control-Allow-Origin (delivery/fast_path.py runs it too).
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",  # PostgreSQL down: 503 with Retry-After, not 500
    "config.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' cached pages and 304s, before sessions, CSRF and auth (delivery/pagecache.py).
    "delivery.pagecache.PublicCacheMiddleware",
    "delivery.middleware.PrivateAnswersMiddleware",  # `private, no-store` on answers that are someone's
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "delivery.middleware.AuthenticationMiddleware",  # Django's, the user read from a kept copy
    "embed.middleware.BearerPageMiddleware",  # the newsroom's readers on the embed's HTML (GET)
    "config.replicas.ReplicaReadsMiddleware",  # which reads a replica may answer (DATABASE_REPLICA_URLS)
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # django-allauth needs it for the OIDC flow
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "moderation.context_processors.moderation",
            ],
        },
    },
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "config.tokens.RevokeTokensOnPasswordChange"},
]
# Refuses passwords while an account or address is over LOGIN_FAILURE_* (accounts/credentials.py).
AUTHENTICATION_BACKENDS = ["accounts.credentials.ThrottledModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# English only: without translation machinery a page with 20 comments renders in 17 % less time.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Files served at the site's root by whitenoise: /embed.js, the script a newsroom pastes.
WHITENOISE_ROOT = BASE_DIR / "embed" / "public"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Mail: console until EMAIL_URL names an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")

REST_FRAMEWORK = {
    # Token first, so a request without credentials gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.tokens.ExpiringTokenAuthentication",
        "embed.sso.BearerAuthentication",  # the newsroom's readers (JWT, Coral's claims)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": "Articles, comment threads, reader corrections and the moderation queue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
}

# Bounded input: a request body larger than this gets 413 (config.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

SITE_NAME = env.str("SITE_NAME", default="The Newsroom")
# Where readers reach the site, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Readers' emails about replies and featured comments wait this long and go as one digest.
NOTIFICATION_DIGEST_SECONDS = env.int("NOTIFICATION_DIGEST_SECONDS", default=300)
COMMENT_EDIT_WINDOW_SECONDS = env.int("COMMENT_EDIT_WINDOW_SECONDS", default=5 * 60)
COMMENT_RATE_LIMIT = env.int("COMMENT_RATE_LIMIT", default=5)  # comments per user
# Comments per IP address: a higher backstop, so people sharing a network do not wait for each other.
COMMENT_IP_RATE_LIMIT = env.int("COMMENT_IP_RATE_LIMIT", default=30)
COMMENT_RATE_PERIOD = env.int("COMMENT_RATE_PERIOD", default=60)  # seconds
COMMENT_EDIT_RATE_LIMIT = env.int("COMMENT_EDIT_RATE_LIMIT", default=10)  # edits per user
COMMENT_EDIT_RATE_PERIOD = env.int("COMMENT_EDIT_RATE_PERIOD", default=60)  # seconds
COMMENT_PAGE_SIZE = env.int("COMMENT_PAGE_SIZE", default=20)  # top-level comments per page
# Replies shown under each comment in a thread; the rest page in through "Show N more replies".
COMMENT_REPLIES_SHOWN = env.int("COMMENT_REPLIES_SHOWN", default=3)
if COMMENT_REPLIES_SHOWN < 1:
    raise ImproperlyConfigured("COMMENT_REPLIES_SHOWN must be at least 1")
# How often an open article page asks whether comments were published since (0: never).
LIVE_POLL_SECONDS = env.int("LIVE_POLL_SECONDS", default=15)
if LIVE_POLL_SECONDS < 0:
    raise ImproperlyConfigured("LIVE_POLL_SECONDS must be 0 (off) or more")

# What anonymous pages tell a shared cache in front (Varnish, a CDN): keep it this many seconds,
# then serve it stale this much longer while fetching a fresh one (delivery/pagecache.py).
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=10)
PUBLIC_STALE_WHILE_REVALIDATE = env.int("PUBLIC_STALE_WHILE_REVALIDATE", default=30)
# New answers kept per article (pages; API pages; live answers) per 10 minutes: past it they are
# built and not kept, so no variation of an article's addresses fills Redis.
PAGE_CACHE_ENTRIES = env.int("PAGE_CACHE_ENTRIES", default=300)
# Bytes of stored answers each process keeps a copy of, replayed while their versions hold
# (delivery/held.py, LocalEntries): the GET of a busy page's entry saved. 0 keeps none.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=16 * 1024 * 1024)

# Automated moderation: the initial values of the ModerationSettings row, which admins then edit.
MODERATION_TOXICITY_REVIEW = env.float("MODERATION_TOXICITY_REVIEW", default=0.95)
MODERATION_TOXICITY_REJECT = env.float("MODERATION_TOXICITY_REJECT", default=0.99)
# The local classifier can be switched off (its check then approves, saying so in the audit).
MODERATION_TOXICITY_CHECK = env.bool("MODERATION_TOXICITY_CHECK", default=True)
# The harm model in use (moderation/classifier.py): empty, the one shipped in moderation/model/;
# retraining (manage.py train_moderation --retrain) writes here when a candidate is no worse.
MODERATION_MODEL_PATH = env.str("MODERATION_MODEL_PATH", default="")
# Retrain from moderators' decisions once a month (beat); off by default.
MODERATION_RETRAIN_MONTHLY = env.bool("MODERATION_RETRAIN_MONTHLY", default=False)
if MODERATION_RETRAIN_MONTHLY:
    CELERY_BEAT_SCHEDULE["retrain-moderation-model"] = {
        "task": "moderation.tasks.retrain_model",
        "schedule": 30 * 24 * 3600.0,
    }
MODERATION_MAX_LINKS = env.int("MODERATION_MAX_LINKS", default=2)
MODERATION_LINKS_MIN_APPROVED = env.int("MODERATION_LINKS_MIN_APPROVED", default=3)
MODERATION_DUPLICATE_HOURS = env.int("MODERATION_DUPLICATE_HOURS", default=24)
MODERATION_WAVE_ACCOUNTS = env.int("MODERATION_WAVE_ACCOUNTS", default=3)
MODERATION_WAVE_MINUTES = env.int("MODERATION_WAVE_MINUTES", default=10)
MODERATION_SWEEP_AFTER_SECONDS = env.int("MODERATION_SWEEP_AFTER_SECONDS", default=60)
# Weighted reader flags: at the first a comment enters the `reported` queue, at the second it is withheld.
MODERATION_FLAGS_TO_REPORT = env.float("MODERATION_FLAGS_TO_REPORT", default=3)
MODERATION_FLAGS_TO_WITHHOLD = env.float("MODERATION_FLAGS_TO_WITHHOLD", default=6)
# The review queue: items a claim takes, how long a moderator holds them, how long undo is offered.
MODERATION_CLAIM_COUNT = env.int("MODERATION_CLAIM_COUNT", default=10)
MODERATION_LEASE_SECONDS = env.int("MODERATION_LEASE_SECONDS", default=5 * 60)
MODERATION_UNDO_SECONDS = env.int("MODERATION_UNDO_SECONDS", default=10)
# How often an open queue page asks whether its tab counts changed (a 304 when they did not).
MODERATION_POLL_SECONDS = env.int("MODERATION_POLL_SECONDS", default=15)

CORRECTION_RATE_LIMIT = env.int("CORRECTION_RATE_LIMIT", default=5)  # correction reports per IP
CORRECTION_RATE_PERIOD = env.int("CORRECTION_RATE_PERIOD", default=10 * 60)  # seconds
NOTICE_RATE_LIMIT = env.int("NOTICE_RATE_LIMIT", default=5)  # notices of illegal content per IP
NOTICE_RATE_PERIOD = env.int("NOTICE_RATE_PERIOD", default=10 * 60)  # seconds

# Credentials (accounts/credentials.py): wrong passwords per account and per address within a period, on the
# token endpoint and the login form; new accounts per address; how long an API token lasts.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_IP_LIMIT = env.int("LOGIN_FAILURE_IP_LIMIT", default=20)
LOGIN_FAILURE_PERIOD = env.int("LOGIN_FAILURE_PERIOD", default=15 * 60)  # seconds
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=5)
SIGNUP_RATE_PERIOD = env.int("SIGNUP_RATE_PERIOD", default=60 * 60)  # seconds
API_TOKEN_EXPIRE_DAYS = env.int("API_TOKEN_EXPIRE_DAYS", default=30)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
