from django.urls import path

from . import api

app_name = "accounts-api"

urlpatterns = [
    path("me/", api.MeDetail.as_view(), name="me"),
    path("me/export/", api.MeExport.as_view(), name="export"),
]
