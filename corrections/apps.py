from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "corrections"

    def ready(self) -> None:
        from delivery import changes

        from . import report_checks  # noqa: F401 (registers the report policy's system check)
        from .models import CorrectionNotice

        # A notice shows at the end of its article and in the article's kept list of notices.
        changes.on_save(
            CorrectionNotice,
            lambda notice: [
                changes.article(notice.article.slug),
                changes.copy(CorrectionNotice.cache_key(notice.article_id)),
            ],
        )
