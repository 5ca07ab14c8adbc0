"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL; tasks run eagerly
unless a test starts a real worker."""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-not-a-secret-" + "x" * 32
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MFA_REQUIRED_FOR_STAFF = False
DEMO_ACCOUNTS_ALLOWED = True
CELERY_TASK_ALWAYS_EAGER = not env.bool("CELERY_REAL_WORKER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": "10000/min",
    "user": "10000/min",
    "client": "10000/min",
    "bad_token": "10000/min",
    "reconsideration_form": "10000/min",
}
ACCOUNT_RATE_LIMITS = False
RECORDS_REQUEST_RATE_PER_ADDRESS = "10000/min"
RECORDS_REQUEST_RATE_TOTAL = "10000/min"
# Tests serve media from a local http server, with small limits.
RECORDS_MEDIA_HOSTS = []
RECORDS_MEDIA_HTTPS_ONLY = False
RECORDS_MEDIA_MAX_BYTES = {"image": 256 * 1024, "video": 1024 * 1024, "attachment": 256 * 1024}
RECORDS_MEDIA_FETCH_SECONDS = 2.0
