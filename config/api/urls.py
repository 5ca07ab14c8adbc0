"""``/api/v1/``: each app adds its router here; the schema and its docs beside it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("v1/accounts/", include("accounts.api.urls")),
    path("v1/moderation/", include("moderation.api.urls")),
    path("v1/records/", include("records.api.urls")),
    path("v1/privacy/", include("privacy.api.urls")),
    path("v1/podcasts/", include("podcasts.api.urls")),
    path("v1/channels/", include("channels_app.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
