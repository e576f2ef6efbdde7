"""What a signed-in reader's kept state holds, and what retires it.

The state (delivery/reader_store.py keeps it): their user row, whether they moderate, why they may
not post, whom they ignore; per article, their likes there and their own comments. The receivers
below bump the reader's version on the models' own signals, so admin edits and every service count
too (connected by ReadersConfig.ready).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from accounts.models import IgnoredCommenter, Profile
from accounts.selectors import ignored_ids
from comments.models import Comment, CommentLike
from comments.personal import own_comments
from comments.policy import posting_refusal
from delivery import reader_store
from moderation.models import Sanction
from moderation.permissions import is_moderator


def build_state(user) -> dict:
    """The reader's state from the database (four queries)."""
    now = timezone.now()
    # The next moment a sanction starts to count or ends changes what the page says.
    ends = [
        until
        for until in Sanction.objects.filter(user=user, lifted_at__isnull=True).values_list(
            "until", flat=True
        )
        if until and until > now
    ]
    return {
        **reader_store.user_entry(user),
        "moderator": is_moderator(user),
        "refusal": posting_refusal(user),
        "ignoring": ignored_ids(user),
        "until": min(ends, default=None),
    }


def build_thread(user, article_id: int) -> dict:
    """The reader's likes on the article's comments and their own comments there (two queries)."""
    return {
        "article": article_id,  # a slug taken by another article later starts afresh
        "liked": set(
            CommentLike.objects.filter(user=user, comment__article_id=article_id).values_list(
                "comment_id", flat=True
            )
        ),
        "own": own_comments(article_id, user),
    }


def _user_saved(sender, instance, **kwargs) -> None:
    reader_store.changed(instance.pk, account=True)


def _profile_changed(sender, instance, **kwargs) -> None:
    reader_store.changed(instance.user_id, account=True)


def _owner_changed(sender, instance, **kwargs) -> None:
    # Likes, ignores and sanctions belong to `user`; comments to their author.
    reader_store.changed(getattr(instance, "user_id", None) or getattr(instance, "author_id", None))


def _memberships_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...), user.user_permissions.remove(...)
        reader_store.changed(instance.pk)
    elif isinstance(instance, Group) and pk_set is not None:  # group.user_set.add(...)
        for user_id in pk_set:
            reader_store.changed(user_id)
    else:
        reader_store.changed_for_all()


def _groups_changed(sender, **kwargs) -> None:
    reader_store.changed_for_all()


def connect() -> None:
    """Connect the receivers (ReadersConfig.ready)."""
    user_model = get_user_model()
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_user_saved, sender=user_model, dispatch_uid=f"readers.user.{name}")
        signal.connect(_groups_changed, sender=Group, dispatch_uid=f"readers.group.{name}")
        signal.connect(_profile_changed, sender=Profile, dispatch_uid=f"readers.profile.{name}")
        for model in (Comment, CommentLike, IgnoredCommenter, Sanction):
            signal.connect(_owner_changed, sender=model, dispatch_uid=f"readers.{model.__name__}.{name}")
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(_memberships_changed, sender=through, dispatch_uid=f"readers.{through.__name__}")
