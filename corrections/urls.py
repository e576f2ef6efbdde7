from django.urls import path, re_path

from . import views

app_name = "corrections"

urlpatterns = [
    path("articles/<slug:slug>/corrections/new/", views.correction_new, name="new"),
    path("articles/<slug:slug>/corrections/thanks/", views.correction_thanks, name="thanks"),
    path("corrections/", views.corrections_log, name="log"),
    re_path(
        r"^admin/articles/(?P<rest>(correctionreport|correctionstatuschange|correctionnotice|correctionnoticerevision)/.*)$",
        views.admin_moved,
    ),
]
