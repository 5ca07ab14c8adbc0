from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from config.views import home

# The admin's own login form is replaced by allauth's: rate limits and two-factor sign-in.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Social media – Örebro kommun")
admin.site.site_title = _("Social media")
admin.site.index_title = _("Administration")
handler404 = "core.api.errors.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("config.api.urls")),
    path("diarium/", include("records.urls")),
    path("hooks/", include("moderation.platforms.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("insyn/", include("moderation.public_urls")),
    path("poddar/", include("podcasts.urls")),
    path("registerutdrag/", include("privacy.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
