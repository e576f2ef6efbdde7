from django.dispatch import Signal

# Sent inside the deletion's transaction before an account's personal data goes, with `user` and
# `anonymous_name` (what records keep instead of the name). Apps that hold data about the account
# (comments) connect a receiver that removes theirs; accounts imports none of them.
account_deleting = Signal()

# Sent to gather "download my data", with `user`. Each receiver answers with a dict of what its
# app holds about the account ({"comments": [...]}); the export merges them.
account_exporting = Signal()

# Sent after the name shown on a reader's comments changed, with `user`. Apps that show it on pages
# every reader shares (comments' threads) announce those pages; accounts knows none of them.
name_changed = Signal()
