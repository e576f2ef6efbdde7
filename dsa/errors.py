"""What notices and appeals refuse; the API and the pages map these to status codes."""


class Refused(Exception):
    status = 400


class Invalid(Refused):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotFound(Refused):
    """No such decision for this reader (another reader's is not theirs to see)."""

    status = 404


class TooLate(Refused):
    """The six months to appeal are over."""

    status = 403


class AlreadyDone(Refused):
    """Appealed once already, or the decision no longer stands."""

    status = 409
