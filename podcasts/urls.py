"""Public podcast addresses under /poddar/: pages, feeds (stable addresses) and media."""

from django.urls import path

from podcasts import views

app_name = "podcasts"

urlpatterns = [
    path("", views.show_index, name="index"),
    path("media/<path:name>", views.media_file, name="media"),
    path("<slug:slug>/", views.show_detail, name="show"),
    path("<slug:slug>/feed.xml", views.feed, name="feed"),
    path("<slug:slug>/teckensprak/feed.xml", views.feed, {"video": True}, name="video-feed"),
    path("<slug:slug>/<int:number>/", views.episode_detail, name="episode"),
    path("<slug:slug>/<int:number>/transkript.html", views.transcript_html, name="transcript"),
]
