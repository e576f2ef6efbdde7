"""API-wide error shape: every error is JSON with a `detail`; 400s keep DRF's field errors too."""

from collections.abc import Callable
from contextlib import contextmanager

from django.http import JsonResponse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from .ratelimit import LimiterUnavailable


class Unavailable(exceptions.APIException):
    """503 with Retry-After: a service the request needs (Redis) is down; DRF adds the header."""

    status_code = 503
    default_detail = "Temporarily unavailable. Try again later."

    def __init__(self, detail: str, *, wait: int):
        super().__init__(detail)
        self.wait = wait


class ConflictError(exceptions.APIException):
    status_code = 409
    default_detail = "This conflicts with the item's current state."
    default_code = "conflict"


_BY_STATUS = {403: exceptions.PermissionDenied, 404: exceptions.NotFound, 409: ConflictError}


@contextmanager
def refusals(errors: type[Exception], status_of: Callable[[Exception], int]):
    """An app's refusals (`errors`) as API errors with the status `status_of(error)` gives: 403,
    404 or 409 with the refusal's text, or a 400 naming the refusal's `field` (non_field_errors
    when it names none)."""
    try:
        yield
    except errors as error:
        status = status_of(error)
        if status in _BY_STATUS:
            raise _BY_STATUS[status](str(error)) from None
        field = getattr(error, "field", None) or "non_field_errors"
        raise exceptions.ValidationError({field: [str(error)]}) from None


def count_anonymous(count, *, what: str) -> None:
    """Count one anonymous submission with `count()` (its limit's `hit`): 429 with Retry-After
    past the limit, 503 with Retry-After while the limit cannot be counted (it fails closed)."""
    try:
        wait = count()
    except LimiterUnavailable:
        raise Unavailable(
            f"{what.capitalize()} cannot be taken right now. Try again later.",
            wait=LimiterUnavailable.retry_after,
        ) from None
    if wait:
        raise exceptions.Throttled(wait=wait, detail=f"Too many {what} from your address. Try again later.")


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        field, value = next(iter(errors.items()))
        message = _first_message(value)
        return message if field == "non_field_errors" else f"{field}: {message}"
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": f"Invalid input. {_first_message(errors)}", **errors}
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    from django.views.defaults import page_not_found

    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    from django.views.defaults import server_error as html_server_error

    if _wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return html_server_error(request)


class ErrorOutput(serializers.Serializer):
    """Every error answer: a `detail`; a 400 adds each refused field's messages beside it."""

    detail = serializers.CharField()


CONFLICT = OpenApiResponse(ErrorOutput, description="Conflicts with the current state.")
THROTTLED = OpenApiResponse(ErrorOutput, description="Too many requests; Retry-After says when to try again.")
UNAVAILABLE = OpenApiResponse(
    ErrorOutput, description="A service it needs (Redis) is unreachable; Retry-After says when to try again."
)


class StrictCharField(serializers.CharField):
    """A text input that takes JSON strings only, as the schema says (DRF's turns 0 into "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharFieldSchema(OpenApiSerializerFieldExtension):
    """A text input that may not be blank says so: at least one character that is not a space."""

    target_class = StrictCharField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and not self.target.allow_blank:
            schema["minLength"] = max(schema.get("minLength", 0), 1)
            if self.target.trim_whitespace:
                schema["pattern"] = r"\S"
        return schema
