from django.dispatch import Signal

# Sent inside the decision's transaction, after the item is closed: item, moderator, action and
# record (the comment's audit record, None for a sanction's item or a deleted comment).
item_decided = Signal()

# Sent inside the transaction that bans or suspends a commenter (or pre-moderates them): sanction.
sanction_applied = Signal()
