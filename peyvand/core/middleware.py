"""Request plumbing: who is acting (for the audit trail), where anonymous visitors are sent, refused methods."""

from __future__ import annotations

from collections.abc import Callable

import auditlog.middleware
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from .audit import acting_as
from .network import client_address


class ActorMiddleware:
    """Makes ``request.user`` the actor of business events logged while the view runs.

    Anonymous visitors who reach something they may not see are sent to the login page instead of
    a bare 403/404, so that signing in is the obvious next step.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with acting_as(user if user is not None and user.is_authenticated else None):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if (
            isinstance(exception, PermissionDenied | Http404)
            and user is not None
            and not user.is_authenticated
        ):
            return redirect_to_login(request.get_full_path())
        return None


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware, recording the real client address rather than a header anyone can forge."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)


class RefuseTraceMiddleware:
    """TRACE (and Microsoft's TRACK) echo a request back — a cross-site tracing aid; no view answers them."""

    REFUSED = frozenset({"TRACE", "TRACK"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in self.REFUSED:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST", "OPTIONS"])
        return self.get_response(request)
