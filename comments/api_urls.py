from django.urls import path

from delivery import cache_keys, pagecache

from . import api, live, live_api, selectors

app_name = "comments-api"

# Anonymous answers are cached whole (delivery/pagecache.py); a token or a session makes them personal.
public = {"vary": ["Cookie", "Authorization"]}


urlpatterns = [
    path(
        "articles/<slug:slug>/comments/",
        pagecache.public_cache(
            selectors.thread_versions, params={"sort": cache_keys.word, "cursor": cache_keys.cursor}, **public
        )(api.CommentListCreate.as_view()),
        name="thread",
    ),
    path(
        "articles/<slug:slug>/comments/updates/",
        pagecache.public_cache(
            live.announced_versions,
            params={"since": cache_keys.number},
            vary=[],
            everyone=True,
            cache_control=live_api.CACHE_CONTROL,
        )(live_api.CommentUpdates.as_view()),
        name="updates",
    ),
    path("comments/<int:pk>/", api.CommentDetail.as_view(), name="detail"),
    path(
        "comments/<int:pk>/replies/",
        pagecache.public_cache(selectors.replies_versions, params={"cursor": cache_keys.cursor}, **public)(
            api.CommentReplies.as_view()
        ),
        name="replies",
    ),
    path("comments/<int:pk>/flags/", api.CommentFlagCreate.as_view(), name="flags"),
    path("comments/<int:pk>/like/", api.CommentLikeToggle.as_view(), name="like"),
    path("me/comments/", api.MeComments.as_view(), name="mine"),
]
