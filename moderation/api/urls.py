from django.urls import path
from rest_framework.routers import DefaultRouter

from moderation.api import views
from moderation.api.statistics import StatisticsView

app_name = "moderation-api"

router = DefaultRouter()
router.register("items", views.ItemViewSet, basename="item")
router.register("grounds", views.GroundViewSet, basename="ground")
router.register("blocks", views.BlockViewSet, basename="block")
router.register("notes", views.NoteViewSet, basename="note")

urlpatterns = [
    path("metrics/", views.MetricsView.as_view(), name="metrics"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("ingest/", views.IngestView.as_view(), name="ingest"),
    *router.urls,
]
