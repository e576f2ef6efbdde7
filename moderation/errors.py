"""What the review queue refuses. Views and the API map these to status codes (see api/views.py)."""


class QueueError(Exception):
    """A request the queue cannot carry out."""


class Conflict(QueueError):
    """The item or comment is no longer as the moderator saw it: held by another, decided, lifted."""


class Changed(Conflict):
    """The comment's text changed since the moderator saw it; the decision would judge unseen text."""


class NotYours(QueueError):
    """Not for this moderator: the appeal is against their own decision."""


class Invalid(QueueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def status_code(error: QueueError) -> int:
    """The HTTP status both the pages and the API answer a refusal with."""
    if isinstance(error, NotYours):
        return 403
    return 409 if isinstance(error, Conflict) else 400
