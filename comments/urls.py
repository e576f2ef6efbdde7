from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/<slug:slug>/comments/", views.post, name="post"),
    path("comments/<int:pk>/like/", views.like, name="like"),
    path("comments/<int:pk>/flag/", views.flag, name="flag"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
]
