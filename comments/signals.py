from django.dispatch import Signal

# Sent after commit when a comment was posted or edited and needs its checks: comment_id, version.
comment_submitted = Signal()
