"""The moderation API under /api/v1/moderation/ (moderators only)."""

from django.urls import path

from .api import featured as featured_api
from .api import stats as stats_api
from .api import views as api

urlpatterns = [
    path("moderation/stats/", stats_api.StatsView.as_view(), name="moderation-stats"),
    path("moderation/queue/", api.ReviewQueueList.as_view(), name="moderation-queue"),
    path("moderation/queue/claim/", api.ReviewQueueClaim.as_view(), name="moderation-claim"),
    path("moderation/queue/renew/", api.ReviewQueueRenew.as_view(), name="moderation-renew"),
    path("moderation/queue/release/", api.ReviewQueueRelease.as_view(), name="moderation-release"),
    path("moderation/items/decisions/", api.ReviewItemBulkDecision.as_view(), name="moderation-decisions"),
    path("moderation/items/<int:pk>/decision/", api.ReviewItemDecision.as_view(), name="moderation-decision"),
    path("moderation/undo/", api.DecisionUndo.as_view(), name="moderation-undo"),
    path(
        "moderation/comments/<int:pk>/featured/",
        featured_api.CommentFeatured.as_view(),
        name="moderation-comment-featured",
    ),
    path("moderation/users/<int:pk>/", api.AuthorHistory.as_view(), name="moderation-user"),
    path(
        "moderation/users/<int:pk>/reject-pending/",
        api.AuthorRejectPending.as_view(),
        name="moderation-reject-pending",
    ),
    path(
        "moderation/users/<int:pk>/sanctions/", api.SanctionListCreate.as_view(), name="moderation-sanctions"
    ),
    path(
        "moderation/users/<int:pk>/sanctions/<int:sid>/",
        api.SanctionDetail.as_view(),
        name="moderation-sanction",
    ),
]
