from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from drf_spectacular.views import SpectacularAPIView

from . import views

# The admin carries the site's name (SITE_NAME), not "Django administration".
admin.site.site_header = lazy(lambda: f"{settings.SITE_NAME} admin", str)()
admin.site.site_title = lazy(lambda: f"{settings.SITE_NAME} admin", str)()
admin.site.index_title = "Newsroom tools"

handler404 = "config.api.not_found"
handler500 = "config.api.server_error"

api_v1 = [
    path("", include("accounts.token_urls")),  # auth/token/
    path("", include("accounts.api_urls")),
    path("", include("articles.api_urls")),
    path("", include("corrections.api_urls")),
    path("", include("comments.api_urls")),
    path("", include("moderation.api_urls")),
    path("", include("embed.api_urls")),
    path("", include("dsa.api_urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    # The article page: readers' view answers signed-in readers from shared parts and hands the
    # rest to articles' view, so it comes before articles' own pattern for the same address.
    path("", include("readers.urls")),
    path("", include("articles.urls")),
    path("", include("corrections.urls")),
    path("", include("comments.urls")),
    path("moderation/", include("moderation.urls")),
    path("", include("embed.urls")),
    # Only the OpenID Connect provider's login and callback: allauth's own account pages stay
    # unmounted, /accounts/login/ and the rest are ours (accounts/urls.py).
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),  # oidc/<id>/login/
    path("", include("dsa.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/", include(api_v1)),
]
