from django.urls import path

from . import views

app_name = "dsa"

urlpatterns = [
    path("comments/<int:pk>/notice/", views.notice_new, name="notice_new"),
    path("comments/<int:pk>/notice/sent/", views.notice_sent, name="notice_sent"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("guidelines/v<int:number>/", views.guidelines, name="guidelines_version"),
    path("transparency/", views.transparency_page, name="transparency"),
    path("statements/<int:pk>/appeal/", views.appeal, name="appeal"),
]
