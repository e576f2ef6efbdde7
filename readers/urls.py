from django.urls import path

from . import views

app_name = "readers"

# The same address as articles:detail, which links keep using: this pattern comes first.
urlpatterns = [
    path("articles/<slug:slug>/", views.article, name="article"),
]
