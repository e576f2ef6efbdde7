from django.dispatch import Signal

# Sent after commit when a comment was posted or edited and needs its checks: comment_id, version.
comment_submitted = Signal()

# Sent inside the transaction of every status change, after its audit record: comment, record.
# Whoever must answer for a restriction (a statement of reasons) writes it in the same commit.
status_changed = Signal()

# Sent after commit when a reader's flag was stored: comment_id, flag_id. Moderation weighs it and
# may report or withhold the comment; unanswered, the flag is kept and counts for nothing yet.
flag_added = Signal()
