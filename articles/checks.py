"""System checks of what the article page is configured to use."""

from django.apps import apps
from django.conf import settings
from django.core import checks

from config.named_settings import check_named


@checks.register()
def check_signed_in_page(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """SIGNED_IN_PAGE, when set, must be importable and belong to an installed app: that app's
    ready() connects the receivers that retire the readers' kept state (readers/apps.py), and a
    page served without them would show a reader what they no longer are. Empty: the article view
    builds every signed-in page itself."""
    errors = check_named("SIGNED_IN_PAGE", import_id="articles.E001")
    path = settings.SIGNED_IN_PAGE
    if errors or not path or apps.get_containing_app_config(path) is not None:
        return errors
    return [
        checks.Error(
            f"SIGNED_IN_PAGE {path!r} is not in an installed app.",
            hint="Add its app to INSTALLED_APPS (it keeps the readers' state current), or set "
            'SIGNED_IN_PAGE = "" to build signed-in pages in the article view.',
            id="articles.E002",
        )
    ]
