from django.urls import path

from . import api

app_name = "corrections-api"

urlpatterns = [
    path("articles/<slug:slug>/corrections/", api.CorrectionCreate.as_view(), name="create"),
]
