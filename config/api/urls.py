"""``/api/v1/``: each app adds its router here; the schema and its docs beside it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("v1/accounts/", include("accounts.api.urls")),
    path("v1/moderation/", include("moderation.api.urls")),
    path("v1/records/", include("records.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
