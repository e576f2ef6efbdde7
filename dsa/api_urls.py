"""The Act's API under /api/v1/."""

from django.urls import path

from .api import figures
from .api import views as api

app_name = "dsa-api"

urlpatterns = [
    path("notices/", api.NoticeCreate.as_view(), name="notices"),
    path("me/statements/", api.MyStatements.as_view(), name="my-statements"),
    path("statements/<int:pk>/appeal/", api.StatementAppeal.as_view(), name="appeal"),
    path("transparency/", figures.TransparencyReport.as_view(), name="transparency"),
    path("moderation/statements/export/", api.StatementExport.as_view(), name="export"),
]
