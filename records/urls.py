from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("", views.public_register, name="public-register"),
    path("begaran/", views.access_request_form, name="access-request"),
    path("begaran/mottagen/", views.access_request_received, name="access-request-received"),
]
