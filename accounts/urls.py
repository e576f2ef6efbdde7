from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.functional import lazy

from . import views

app_name = "accounts"
# Django's auth views name the site after the request's host ("127.0.0.1:8303"): ours is SITE_NAME.
SITE = {"site_name": lazy(lambda: settings.SITE_NAME, str)()}


def _page(route: str, view, name: str, *, template: str = "", **options):
    """One of Django's auth pages, with its template in accounts/ named after the URL by default."""
    view = view.as_view(template_name=f"accounts/{template or name}.html", extra_context=SITE, **options)
    return path(route, view, name=name)


urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.LoginView.as_view(extra_context=SITE), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's reset flow: the email (accounts.mail.send_password_reset) links to the confirm page
    # with a one-time token.
    _page(
        "accounts/password_reset/",
        views.PasswordReset,
        "password_reset",
        template="password_reset_form",
        success_url=reverse_lazy("accounts:password_reset_done"),
    ),
    _page("accounts/password_reset/done/", auth_views.PasswordResetDoneView, "password_reset_done"),
    _page(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    ),
    _page("accounts/reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
    _page(
        "accounts/password_change/",
        auth_views.PasswordChangeView,
        "password_change",
        template="password_change_form",
        success_url=reverse_lazy("accounts:password_change_done"),
    ),
    _page("accounts/password_change/done/", auth_views.PasswordChangeDoneView, "password_change_done"),
    path("accounts/verify/<str:token>/", views.verify, name="verify"),
    path("accounts/email/undo/<str:token>/", views.undo_email, name="undo_email"),
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
