"""System checks of settings that name a function or class by its dotted path (COMMENTS_POLICY,
CORRECTIONS_REPORT_POLICY, SIGNED_IN_PAGE): how a lower app reaches a higher one."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


def check_named(setting: str, *, import_id: str, unset: checks.Error | None = None) -> list[checks.Error]:
    """`unset` when the setting is empty (nothing: an empty one is allowed); an error with
    `import_id` when what it names cannot be imported."""
    path = getattr(settings, setting, "") or ""
    if not path:
        return [unset] if unset else []
    try:
        import_string(path)
    except ImportError as error:
        return [checks.Error(f"{setting} {path!r} cannot be imported: {error}", id=import_id)]
    return []
