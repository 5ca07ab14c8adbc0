from rest_framework.routers import DefaultRouter

from records.api import views

app_name = "records-api"

router = DefaultRouter()
router.register("register", views.PublicRecordViewSet, basename="public-record")
router.register("entries", views.RecordViewSet, basename="record")
router.register("retention-classes", views.RetentionClassViewSet, basename="retention-class")
router.register("access-requests", views.AccessRequestViewSet, basename="access-request")
urlpatterns = router.urls
