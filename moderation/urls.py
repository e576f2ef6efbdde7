"""The moderator's pages under /moderation/."""

from django.urls import path

from . import actions, featured_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("counts/", views.counts, name="counts"),
    path("search/", views.search_page, name="search"),
    path("articles/<slug:slug>/", views.article_page, name="article"),
    path("items/<int:pk>/reverse/", actions.reverse_decision, name="reverse"),
    path("users/<int:pk>/notes/", actions.add_note, name="add_note"),
    path("claim/", actions.claim, name="claim"),
    path("renew/", actions.renew, name="renew"),
    path("release/", actions.release, name="release"),
    path("undo/", actions.undo, name="undo"),
    path("bulk/", actions.bulk_decision, name="bulk"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("items/<int:pk>/decision/", actions.decision, name="decision"),
    path("users/<int:pk>/", views.author_page, name="author"),
    path("users/<int:pk>/reject-pending/", actions.reject_pending, name="reject_pending"),
    path("users/<int:pk>/sanctions/", actions.sanction, name="sanction"),
    path("sanctions/", views.sanctions_page, name="sanctions"),
    path("sanctions/<int:pk>/lift/", actions.lift, name="lift"),
    path("comments/<int:pk>/decision/", actions.comment_decision, name="comment_decision"),
    path("comments/<int:pk>/featured/", featured_views.comment_featured, name="comment_featured"),
]
