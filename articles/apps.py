from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the check of SIGNED_IN_PAGE)
