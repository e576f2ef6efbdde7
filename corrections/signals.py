from django.dispatch import Signal

# Sent to check a correction report's words beyond links and repeats, with `text` (the message,
# suggestion, quote and name). A receiver answers why the report is spam (`check: explanation`)
# or None; moderation answers with its banned words. Unanswered, the report is refused: no rule
# is silently skipped.
report_checking = Signal()
