"""System checks of what the article page is configured to use."""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register()
def check_signed_in_page(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """SIGNED_IN_PAGE, when set, must be importable and belong to an installed app: that app's
    ready() connects the receivers that retire the readers' kept state (readers/apps.py), and a
    page served without them would show a reader what they no longer are."""
    path = getattr(settings, "SIGNED_IN_PAGE", "") or ""
    if not path:
        return []  # the article view builds every signed-in page itself
    try:
        import_string(path)
    except ImportError as error:
        return [checks.Error(f"SIGNED_IN_PAGE {path!r} cannot be imported: {error}", id="articles.E001")]
    if apps.get_containing_app_config(path) is None:
        return [
            checks.Error(
                f"SIGNED_IN_PAGE {path!r} is not in an installed app.",
                hint="Add its app to INSTALLED_APPS (it keeps the readers' state current), or set "
                'SIGNED_IN_PAGE = "" to build signed-in pages in the article view.',
                id="articles.E002",
            )
        ]
    return []
