from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Signed-in readers' article page, from one shared page and their kept state.

    It reads every app below it (accounts, articles, comments, moderation) and none reads it:
    the article page asks for it by the name in settings.SIGNED_IN_PAGE.
    """

    name = "readers"
    verbose_name = "Signed-in readers"
