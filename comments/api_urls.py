from django.urls import path

from . import api

app_name = "comments-api"

urlpatterns = [
    path("articles/<slug:slug>/comments/", api.CommentListCreate.as_view(), name="thread"),
    path("comments/<int:pk>/", api.CommentDetail.as_view(), name="detail"),
    path("comments/<int:pk>/flags/", api.CommentFlagCreate.as_view(), name="flags"),
    path("comments/<int:pk>/like/", api.CommentLikeToggle.as_view(), name="like"),
    path("me/comments/", api.MeComments.as_view(), name="mine"),
]
