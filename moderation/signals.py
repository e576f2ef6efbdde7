from django.dispatch import Signal

# Sent inside the decision's transaction, after the item is closed: item, moderator, action and
# record (the comment's audit record, None for a sanction's item or a deleted comment).
item_decided = Signal()

# Sent before the author is mailed about a decision on their comment: record (its audit record).
# A receiver that mails the author a statement of reasons for that decision answers True, and
# the decision email is not sent (so a rejection is mailed once).
decision_mailing = Signal()

# Sent inside the transaction that bans or suspends a commenter (or pre-moderates them): sanction.
sanction_applied = Signal()
