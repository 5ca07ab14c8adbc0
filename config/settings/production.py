"""Production: every secret from the environment, HTTPS only, PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import env, required

DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = required("DJANGO_ALLOWED_HOSTS").split(",")
DATABASES = {"default": env.db_url_config(required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = required("CELERY_BROKER_URL")
MFA_REQUIRED_FOR_STAFF = True
META_APP_SECRET = required("META_APP_SECRET")
META_VERIFY_TOKEN = required("META_VERIFY_TOKEN")
CHANNEL_CREDENTIALS_KEY = required("CHANNEL_CREDENTIALS_KEY")
# Rate limits count in the cache; a cache private to each process would multiply every limit by
# the number of processes (accounts/checks.py refuses one in check --deploy).
CACHES = {"default": env.cache_url_config(required("CACHE_URL"))}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_CONFIG = env.email("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)

# Media on S3-compatible object storage when a bucket is named, the local disk otherwise.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(MEDIA_ROOT))  # noqa: F405
