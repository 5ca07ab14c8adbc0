from rest_framework.routers import DefaultRouter

from publishing.api.views import PostViewSet

app_name = "publishing-api"

router = DefaultRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = router.urls
