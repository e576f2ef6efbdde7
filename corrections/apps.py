from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "corrections"

    def ready(self) -> None:
        from delivery import changes

        from .models import CorrectionNotice

        # A notice shows at the end of its article and in the article's kept list of notices.
        changes.on_save(
            CorrectionNotice,
            lambda notice: [
                changes.article(notice.article.slug),
                changes.copy(CorrectionNotice.cache_key(notice.article_id)),
            ],
        )
