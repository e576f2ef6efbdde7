from django.urls import path

from . import live_views, views

app_name = "comments"

urlpatterns = [
    # The reader's own page: its settings forms post to accounts, their comments come from here.
    path("accounts/me/", views.me, name="me"),
    path("articles/<slug:slug>/comments/", views.post, name="post"),
    path("articles/<slug:slug>/comments/live/", live_views.live_comments, name="live"),
    path("comments/<int:pk>/like/", views.like, name="like"),
    path("comments/<int:pk>/flag/", views.flag, name="flag"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/replies/", views.replies, name="replies"),
]
