"""The moderation API under /api/v1/moderation/ (moderators only)."""

from django.urls import path

from . import stats_api

urlpatterns = [
    path("moderation/stats/", stats_api.StatsView.as_view(), name="moderation-stats"),
]
