from rest_framework.routers import DefaultRouter

from privacy.api import views

app_name = "privacy-api"

router = DefaultRouter()
router.register("requests", views.SubjectRequestViewSet, basename="subject-request")
urlpatterns = router.urls
