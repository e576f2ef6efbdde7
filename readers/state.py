"""What a signed-in reader's kept state holds, and what retires it.

The state (delivery/reader_store.py keeps it): their user row, whether they moderate, why they may
not post, whom they ignore; per article, their likes there and their own comments. The apps that
own those rows declare what a save of one announces (delivery/changes.py): the reader's version,
so admin edits and every service count too.
"""

from django.utils import timezone

from accounts.selectors import ignored_ids
from comments.models import CommentLike
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
