"""Settings shared by every environment; each value that varies comes from the environment."""

import base64
import hashlib
import sys
from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))


def required(name: str) -> str:
    """The value of a variable production cannot run without; exit naming it when it is missing."""
    value = env.str(name, default="")
    if not value:
        sys.exit(f"Configuration error: the environment variable {name} must be set.")
    return value


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    # Ours, lowest layer first: publishing -> moderation -> privacy -> records -> channels_app ->
    # accounts -> core.
    "accounts",
    "channels_app",
    "records",
    "privacy",
    "moderation",
    "podcasts",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "config.middleware.NulInAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.security",
            ],
        },
    },
]

# Database ----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, the worker and beat read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History is for reading: every change goes through the services, so admin offers no "revert".
SIMPLE_HISTORY_REVERT_DISABLED = True

# Rate limits (API throttles, allauth's login limits) need a cache all processes share in
# production: CACHE_URL=redis://…
# How many proxies of ours stand in front of the application (load balancer, nginx): every
# per-address limit takes the client's address from X-Forwarded-For that many entries from the
# right, and ignores the rest, which the client wrote itself (accounts/client_address.py).
# 0: no proxy, the TCP peer is the client. The application must not be reachable past them.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Users and sign-in -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
# Sign-up is closed: a reset asked for an unknown address sends nothing (allauth would otherwise
# mail it an invitation to register), and only people get a reset link.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_FORMS = {"reset_password": "accounts.forms.PersonResetPasswordForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
# Sign-in limits (allauth), counted in the shared cache per address (accounts/client_address.py)
# and per account. A failed sign-in and a wrong two-factor code count alike: 10 a minute per
# address, 5 per account in 5 minutes (tests/security/test_production_limits.py).
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Örebro kommun – Sociala medier"
# Staff must have TOTP before any admin or API page; local settings may relax it for demo accounts.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)

# The municipality's identity provider, switched on by the environment alone.
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if env.str("OIDC_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env.str("OIDC_PROVIDER_ID", default="orebro"),
                "name": env.str("OIDC_NAME", default="Örebro kommun"),
                "client_id": env.str("OIDC_CLIENT_ID"),
                "secret": env.str("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": env.str("OIDC_SERVER_URL")},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }

# Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Podcast audio and video: served by our own view (byte ranges, HEAD) unless object storage
# serves them (production with S3: set PODCASTS_MEDIA_FROM_STORAGE=true).
PODCASTS_MEDIA_FROM_STORAGE = env.bool("PODCASTS_MEDIA_FROM_STORAGE", default=False)
# How long a rendered feed stays in the cache (its key names the feed's version, so a change is
# seen at once); 0 renders every request.
PODCASTS_FEED_CACHE_SECONDS = env.int("PODCASTS_FEED_CACHE_SECONDS", default=24 * 3600)
# Where Apple and Spotify send ownership codes for the seeded shows (editable per show).
PODCASTS_OWNER_EMAIL = env.str("PODCASTS_OWNER_EMAIL", default="orebro.kommun@orebro.se")
# A folder of the platforms' recorded answers: calls to the platforms are answered from it
# instead of sent (moderation.platforms.recorded). Local development only; check --deploy
# refuses it.
PLATFORMS_RECORDED_ANSWERS = ""
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sociala medier <noreply@orebro.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.permissions.ApiPermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api.throttling.IntegrationClientThrottle",
        "accounts.api.throttling.AnonThrottle",
        "accounts.api.throttling.StaffThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "client": env.str("API_THROTTLE_CLIENT", default="6000/min"),
        # Bearer tokens that match no client, per address (accounts.api.throttling).
        "bad_token": env.str("API_THROTTLE_BAD_TOKEN", default="20/min"),
        # Posts of the public reconsideration form, per address (moderation.forms).
        "reconsideration_form": env.str("RECONSIDERATION_FORM_THROTTLE", default="10/hour"),
    },
    # Our throttles take the address from accounts/client_address.py; DRF's own fallback
    # follows the same count instead of trusting every X-Forwarded-For entry.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "core.api.parsers.FormParser",
        "core.api.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sociala medier – Örebro kommun",
    "DESCRIPTION": (
        "Channel register, podcasts, moderation queue and public-records register. "
        "Public data is readable without a token; integration clients send "
        "`Authorization: Bearer <token>` and are limited to their scopes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed package: no CDN, and no inline script (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ItemStateEnum": "moderation.choices.ItemState",
        "PlatformActionStateEnum": "moderation.choices.PlatformActionState",
        "ItemKindEnum": "moderation.choices.ItemKind",
        "RegistrationReasonEnum": "records.choices.RegistrationReason",
        "AmendmentKindEnum": "records.choices.AmendmentKind",
        "ChannelStatusEnum": "channels_app.choices.ChannelStatus",
        "RelayWeekStatusEnum": "channels_app.choices.RelayWeekStatus",
        "ArchivePhotoStatusEnum": "channels_app.choices.ArchivePhotoStatus",
        "SubjectRequestKindEnum": "privacy.choices.SubjectRequestKind",
        "SubjectRequestDecisionEnum": "privacy.choices.SubjectRequestDecision",
        "MediaKindEnum": "publishing.choices.MediaKind",
        "RequestDecisionEnum": "records.choices.RequestDecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "IntegrationToken": {"type": "http", "scheme": "bearer"},
        }
    },
}

# Public-records register ---------------------------------------------------------------
# Registration numbers read "<prefix> <year>/<six digits>", e.g. "SOME 2026/000123".
RECORDS_SERIES_PREFIX = env.str("RECORDS_SERIES_PREFIX", default="SOME")
# The retention class (by code) given to new entries when the caller names none.
RECORDS_DEFAULT_RETENTION_CLASS = env.str("RECORDS_DEFAULT_RETENTION_CLASS", default="")
# The creating organisation named in e-archive packages (E-ARK SIP) and its identification code
# (organisationsnummer).
RECORDS_ARCHIVE_CREATOR = env.str("RECORDS_ARCHIVE_CREATOR", default="Örebro kommun")
RECORDS_ARCHIVE_CREATOR_ID = env.str("RECORDS_ARCHIVE_CREATOR_ID", default="212000-1967")
# Posts of the public request form, per address and from all addresses together (a number per
# second, minute, hour or day). Past them the form is refused with the text kept (429).
# The media files of captured content (records.media): the largest file taken of each kind,
# the time a whole fetch may take, and whether plain http addresses are refused.
RECORDS_MEDIA_MAX_BYTES = {
    "image": env.int("RECORDS_MEDIA_MAX_IMAGE_BYTES", default=25 * 1024 * 1024),
    "video": env.int("RECORDS_MEDIA_MAX_VIDEO_BYTES", default=1024 * 1024 * 1024),
    "attachment": env.int("RECORDS_MEDIA_MAX_ATTACHMENT_BYTES", default=50 * 1024 * 1024),
}
RECORDS_MEDIA_FETCH_SECONDS = env.float("RECORDS_MEDIA_FETCH_SECONDS", default=300.0)
RECORDS_MEDIA_HTTPS_ONLY = env.bool("RECORDS_MEDIA_HTTPS_ONLY", default=True)
# The hosts (and their subdomains) media are fetched from: the platforms' CDNs. Empty: any host
# (development and tests only; an address in a payload must never reach the internal network).
RECORDS_MEDIA_HOSTS = env.list(
    "RECORDS_MEDIA_HOSTS",
    default=["fbcdn.net", "fbsbx.com", "cdninstagram.com", "licdn.com", "ytimg.com", "ggpht.com"],
)
RECORDS_REQUEST_RATE_PER_ADDRESS = env.str("RECORDS_REQUEST_RATE_PER_ADDRESS", default="10/hour")
RECORDS_REQUEST_RATE_TOTAL = env.str("RECORDS_REQUEST_RATE_TOTAL", default="200/hour")

# A person's own data ---------------------------------------------------------------------
# A subject-access package larger than this (bytes, as zipped) is not attached to the e-mail:
# the person is mailed a one-time link instead, valid for PRIVACY_PACKAGE_LINK_DAYS days.
PRIVACY_PACKAGE_MAIL_LIMIT = env.int("PRIVACY_PACKAGE_MAIL_LIMIT", default=10 * 1024 * 1024)
PRIVACY_PACKAGE_LINK_DAYS = env.int("PRIVACY_PACKAGE_LINK_DAYS", default=14)

# Moderation ------------------------------------------------------------------------------
# An author's request for reconsideration is answered within this many working days.
MODERATION_RECONSIDERATION_WORKING_DAYS = env.int(
    "MODERATION_RECONSIDERATION_WORKING_DAYS", default=5
)

# Background work ---------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport: a real worker and beat, no server.
# It names a host only because kombu warns on every connection to a URL without one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a task prints (the console e-mail backend's messages) is information, not a warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Each app adds its periodic tasks here (config/schedule.py); beat copies them into the
# database, where administrators see and adjust them in admin.

# Social media platforms ---------------------------------------------------------------------
# Meta signs webhook deliveries with the app secret; the verify token answers its handshake.
# With Instagram Login, Instagram deliveries are signed with the Instagram app's own secret.
META_APP_SECRET = env.str("META_APP_SECRET", default="")
META_VERIFY_TOKEN = env.str("META_VERIFY_TOKEN", default="")
INSTAGRAM_APP_SECRET = env.str("INSTAGRAM_APP_SECRET", default="")
# LinkedIn versions its API by month (YYYYMM) and retires each version after about a year.
LINKEDIN_API_VERSION = env.str("LINKEDIN_API_VERSION", default="202610")
# Channel access tokens are encrypted at rest with this Fernet key (Fernet.generate_key()).
# Production requires it; locally and in tests a fixed key is derived, so no setup is needed.
CHANNEL_CREDENTIALS_KEY = env.str("CHANNEL_CREDENTIALS_KEY", default="") or (
    base64.urlsafe_b64encode(hashlib.sha256(b"sociala-medier local credentials").digest()).decode()
)
# Moderation --------------------------------------------------------------------------------
# Classifiers run on every item besides the built-in detectors: dotted paths of classes built
# with ``lexicon=`` answering ``classify(texts)`` (moderation.threats.Classifier). They run
# in-process; nothing is sent to an outside service.
MODERATION_CLASSIFIERS = env.list(
    "MODERATION_CLASSIFIERS", default=["moderation.threats.LexiconThreatClassifier"]
)
# An item suspected of a mandatory-removal ground (olaga hot …) is due this soon, round the
# clock, and alerts the moderators at once; unclaimed, it escalates to the next escalation
# contact (admin) after each MODERATION_ESCALATE_AFTER_MINUTES.
MODERATION_URGENT_DUE_MINUTES = env.int("MODERATION_URGENT_DUE_MINUTES", default=60)
MODERATION_ESCALATE_AFTER_MINUTES = env.int("MODERATION_ESCALATE_AFTER_MINUTES", default=15)
# The municipality's on-call system: urgent alerts are POSTed here as JSON (no comment text),
# signed with X-Signature-256 (HMAC-SHA256 of the body) when a secret is set.
MODERATION_ALERT_WEBHOOK_URL = env.str("MODERATION_ALERT_WEBHOOK_URL", default="")
MODERATION_ALERT_WEBHOOK_SECRET = env.str("MODERATION_ALERT_WEBHOOK_SECRET", default="")
# The adapter's task lives outside the apps' tasks modules that autodiscovery reads.
CELERY_IMPORTS = ["moderation.platforms.tasks"]

# Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Security defaults shared by every environment; production tightens transport security.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own origin, never inline; media may also come from the object store.
_MEDIA_ORIGINS = env.list("MEDIA_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
        "media-src": ["'self'", *_MEDIA_ORIGINS],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of ours uses are off for every page and anything embedded in one;
# fullscreen stays for our own video player.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "serial",
            "usb",
        )
    },
    "fullscreen": ["self"],
}
SESSION_COOKIE_AGE = 60 * 60 * 10
