from django.dispatch import Signal

# Sent after commit when a comment was posted or edited and needs its checks: comment_id, version.
comment_submitted = Signal()

# Sent inside the transaction of every status change, after its audit record: comment, record.
# Whoever must answer for a restriction (a statement of reasons) writes it in the same commit.
status_changed = Signal()
