from django.dispatch import Signal

# Sent after commit when a comment was posted or edited and needs its checks: comment_id, version.
comment_submitted = Signal()

# Sent inside the flagging transaction after a reader flagged a comment: comment_id, flag_id.
comment_flagged = Signal()

# Sent before a comment is saved, with `author`. A receiver answers with a sentence telling the
# author why they may not comment (banned, suspended), or None. Comments cannot import moderation.
comment_posting = Signal()
