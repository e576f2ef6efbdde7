from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Signed-in readers' article page, from one shared page and their kept state.

    It reads every app below it (accounts, articles, comments, moderation) and none reads it:
    config/urls.py wires the article's address to its view, which hands what it does not build
    to articles' view.
    """

    name = "readers"
    verbose_name = "Signed-in readers"
