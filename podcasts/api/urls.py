from rest_framework.routers import DefaultRouter

from podcasts.api.views import EpisodeViewSet, ShowViewSet

app_name = "podcasts-api"

router = DefaultRouter()
router.register("shows", ShowViewSet, basename="show")
router.register("episodes", EpisodeViewSet, basename="episode")

urlpatterns = router.urls
