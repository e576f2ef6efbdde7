from django.urls import path

from . import api

app_name = "articles-api"

urlpatterns = [
    path("articles/", api.ArticleList.as_view(), name="list"),
    path("articles/<slug:slug>/", api.ArticleDetail.as_view(), name="detail"),
]
