from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "corrections"

    def ready(self) -> None:
        from . import report_checks  # noqa: F401 (registers the report policy's system check)
