"""Local development and the demo: SQLite, the filesystem broker, mail to the console."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-only-not-a-secret-" + "x" * 32)
# The demo accounts are created without TOTP so that a newcomer can look around at once;
# the login page says so. Production always requires it.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=False)
DEMO_ACCOUNTS_ALLOWED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo walk serves its media from a local http server.
RECORDS_MEDIA_HOSTS = []
RECORDS_MEDIA_HTTPS_ONLY = env.bool("RECORDS_MEDIA_HTTPS_ONLY", default=False)
# No network in the demo: the platforms answer as recorded (moderation.platforms.recorded), so a
# post is published and a reply sent on `make run` as they would be against the platforms.
PLATFORMS_RECORDED_ANSWERS = env.str(
    "PLATFORMS_RECORDED_ANSWERS", default=str(BASE_DIR / "tests" / "fixtures" / "platforms")
)
