"""What comments asks of the app that moderates them, in one explicit call.

`settings.COMMENTS_POLICY` names a class (as AUTHENTICATION_BACKENDS name backends) with
`posting_refusal(author, action)` -> the sentence telling a reader why they may not post or
flag now, or None; and `flag_added(comment_id=, flag_id=)`, called once a flag is committed.
Comments cannot import moderation, so the name is the only link. Without one the site fails
closed: nobody may post or flag, and `manage.py check` reports comments.E001.
"""

from functools import cache

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from config.named_settings import check_named

NOT_CONFIGURED = "Comments are closed: no moderation is configured for this site."


class Closed:
    """The policy while none is configured: every post and flag refused."""

    def posting_refusal(self, author, action: str = "post") -> str | None:
        return NOT_CONFIGURED

    def flag_added(self, *, comment_id: int, flag_id: int) -> None:
        return None


@cache
def _load(path: str):
    return import_string(path)() if path else Closed()


def current():
    """The configured policy (one instance per named class)."""
    return _load(getattr(settings, "COMMENTS_POLICY", "") or "")


def posting_refusal(author, *, action: str = "post") -> str | None:
    """Why moderation does not let this author post (or flag) now, said to them; None if it does.

    `action` is what they try: "post" (and edit) or "flag"."""
    refusal = current().posting_refusal(author, action=action)
    return str(refusal) if refusal else None


@checks.register()
def check_policy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    unset = checks.Error(
        "COMMENTS_POLICY is not set: every comment and flag will be refused.",
        hint='Name the moderation policy, e.g. COMMENTS_POLICY = "moderation.policy.CommentsPolicy".',
        id="comments.E001",
    )
    return check_named("COMMENTS_POLICY", import_id="comments.E001", unset=unset)
