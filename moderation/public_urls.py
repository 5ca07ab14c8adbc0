from django.urls import path

from moderation import public_views

app_name = "moderation-public"

urlpatterns = [
    path("", public_views.statistics_page, name="statistics"),
    path("omprovning/", public_views.reconsideration_request_form, name="reconsideration"),
    path(
        "omprovning/mottagen/",
        public_views.reconsideration_request_received,
        name="reconsideration-received",
    ),
]
