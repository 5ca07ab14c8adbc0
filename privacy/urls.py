from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("<str:token>/", views.package_link, name="package-link"),
]
