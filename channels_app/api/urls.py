from rest_framework.routers import DefaultRouter

from channels_app.api import views

app_name = "channels-api"

router = DefaultRouter()
router.include_root_view = False
router.register("channels", views.ChannelViewSet, basename="channel")
router.register("audience-facts", views.AudienceFactViewSet, basename="audience-fact")
router.register("relay-weeks", views.RelayWeekViewSet, basename="relay-week")
router.register("archive-photos", views.ArchivePhotoViewSet, basename="archive-photo")

urlpatterns = router.urls
