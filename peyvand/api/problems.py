"""Errors as RFC 9457 problem details (``application/problem+json``), in the caller's language.

Every error the API answers has ``type``, ``title``, ``status`` and ``detail``; a rejected body or filter
adds ``errors``: ``[{"field": …, "messages": […]}]`` (``field`` is ``null`` for the whole request).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_TYPE = "https://peyvand.ir/problems/"  # a namespace for the ``type`` URIs, not fetched


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    format = "problem+json"


# The longest query string the API reads; longer ones are refused with a problem document (414) before
# anything else, well under the front server's limit on the request line (gunicorn: 4094 bytes).
MAX_QUERY_LENGTH = 2048


class QueryTooLong(exceptions.APIException):
    status_code = 414
    default_code = "uri_too_long"

    def __init__(self) -> None:
        super().__init__(
            _("The address is longer than %(limit)s characters: send fewer or shorter filters.")
            % {"limit": MAX_QUERY_LENGTH}
        )


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: ("invalid", _("The request is not valid")),
        401: ("not-authenticated", _("Sign in or send a token")),
        403: ("forbidden", _("You may not do this")),
        404: ("not-found", _("Not found")),
        405: ("method-not-allowed", _("Method not allowed")),
        406: ("not-acceptable", _("Cannot answer in the format asked for")),
        414: ("uri-too-long", _("The address is too long")),
        415: ("unsupported-media-type", _("The body's format is not supported")),
        429: ("throttled", _("Too many requests")),
        500: ("server-error", _("Server error")),
    }


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Flatten DRF's nested error structure to a list of (field path, messages)."""
    if isinstance(detail, dict):
        rows: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else f"{prefix}{key}"
            if isinstance(value, dict | list) and any(isinstance(v, dict) for v in value):
                rows.extend(_field_errors(value, f"{name}." if name else prefix))
            else:
                messages = [str(v) for v in (value if isinstance(value, list) else [value])]
                rows.append({"field": name if name else (prefix.rstrip(".") or None), "messages": messages})
        return rows
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [{"field": prefix.rstrip(".") or None, "messages": [str(item) for item in detail]}]
        rows = []
        for index, item in enumerate(detail):
            if item:
                rows.extend(_field_errors(item, f"{prefix}{index}."))
        return rows
    return [{"field": prefix.rstrip(".") or None, "messages": [str(detail)]}]


def problem(
    status_code: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    slug, title = _titles().get(status_code, ("error", _("Error")))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug,
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(
        body, status=status_code, headers=headers or None, content_type=ProblemJSONRenderer.media_type
    )
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, then every answer reshaped as a problem document."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handling (and logging) stays in charge
    headers = {
        name: value
        for name, value in response.headers.items()
        if name in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("Some values could not be accepted: see errors."),
            errors,
            headers,
        )
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(404, _("There is nothing here, or you may not see it."), headers=headers)
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return problem(403, _("You do not have permission to do this."), headers=headers)
    if isinstance(exc, exceptions.Throttled):
        return problem(
            429,
            _("Too many requests: wait %(seconds)s seconds.")
            % {"seconds": int(getattr(exc, "wait", None) or 1)},
            headers=headers,
        )
    detail = getattr(exc, "detail", None)
    text = str(detail) if detail is not None and not isinstance(detail, dict | list) else _("Error")
    return problem(response.status_code, text, headers=headers)
