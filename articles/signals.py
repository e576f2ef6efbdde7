from django.dispatch import Signal

# Sent with `text` (everything a reader wrote in a correction report) while the report's checks run
# on a worker. A receiver answers with a reason string when the text breaks its rules (the
# moderation app's banned words), or None. Articles cannot import moderation, so it asks this way.
correction_report_checking = Signal()
