from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.detail, name="detail"),
    path("articles/<slug:slug>/corrections/new/", views.correction_new, name="correction_new"),
    path("articles/<slug:slug>/corrections/thanks/", views.correction_thanks, name="correction_thanks"),
    path("corrections/", views.corrections_log, name="corrections"),
]
