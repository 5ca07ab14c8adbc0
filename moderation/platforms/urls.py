"""``/hooks/``: the endpoints the platforms deliver to."""

from django.urls import path

from .views import meta_webhook

app_name = "hooks"

urlpatterns = [
    path("meta/", meta_webhook, name="meta"),
]
