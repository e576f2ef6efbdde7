from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's reset flow: the email links to the confirm page with a one-time token.
    path(
        "accounts/password_reset/",
        views.PasswordReset.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/verify/<str:token>/", views.verify, name="verify"),
    path("accounts/me/verify/", views.resend_verification, name="resend_verification"),
    path("accounts/me/profile/", views.profile, name="profile"),
    path("accounts/me/email/", views.email, name="email"),
    path("accounts/me/notifications/", views.notifications, name="notifications"),
    path("accounts/me/export/", views.export, name="export"),
    path("accounts/me/delete/", views.delete, name="delete"),
    path("accounts/ignore/<int:user_id>/", views.ignore, name="ignore"),
    path("accounts/ignore/<int:user_id>/undo/", views.unignore, name="unignore"),
    path("accounts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
