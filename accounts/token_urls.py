"""The token endpoint, named "token" outside the accounts-api namespace (the embed's logout reads
it by that name)."""

from django.urls import path

from . import token_api

urlpatterns = [
    path("auth/token/", token_api.AuthToken.as_view(), name="token"),
]
