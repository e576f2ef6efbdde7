from django.urls import path

from . import api

app_name = "embed-api"

urlpatterns = [
    path("stories/", api.StoryDetail.as_view(), name="story"),
]
