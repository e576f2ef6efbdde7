from django.urls import path

from . import views

app_name = "embed"

urlpatterns = [
    path("embed/", views.story, name="story"),
    path("embed/<slug:slug>/", views.thread, name="thread"),
]
