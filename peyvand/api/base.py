"""What every resource view shares: the one gate (``restrict`` / ``get_object_for_user``), the page's own
queryset function and FilterSet, and the caller's language from ``Accept-Language``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions, routers, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.pagination import BasePagination

from peyvand.core import permissions
from peyvand.core.search import query_id

from . import problems
from .filtering import FilterBackend
from .pagination import PagePagination


def activate_accept_language(request: Any) -> None:
    """An explicit ``Accept-Language`` wins over the browser session's language cookie for the API."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return


class LanguageMixin:
    request: Any  # set by the view it is mixed into

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        activate_accept_language(request)
        if len(request.META.get("QUERY_STRING", "")) > problems.MAX_QUERY_LENGTH:
            raise problems.QueryTooLong
        # A method the resource does not have is 405 for everybody, before asking who is calling.
        if not hasattr(self, request.method.lower()):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> Any:
        activate_accept_language(self.request)  # errors raised before ``initial`` (auth) too
        return super().handle_exception(exc)  # type: ignore[misc]


class GatedViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only resource: ``rows(user)`` is the page's queryset (already through the gate);
    ``detail_action`` is what opening one row needs (404 to outsiders)."""

    queryset: QuerySet  # every resource names its model's (empty) queryset: the schema reads it
    filter_backends = [FilterBackend]
    pagination_class: type[BasePagination] | None = PagePagination
    detail_action = permissions.VIEW
    ordering: tuple[str, ...] = ("-id",)
    lookup_value_regex = r"[0-9]+"

    # The model whose list page refuses (403) those who may not see that kind of row at all; the API's list
    # refuses them too. ``None``: the page lists for everybody signed in (their own rows, maybe none).
    list_model: type[Model] | None = None

    def rows(self, user: Any) -> QuerySet:  # pragma: no cover - every resource defines it
        raise NotImplementedError

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self.list_model is not None and not permissions.can(
            request.user, permissions.VIEW, self.list_model
        ):
            raise exceptions.PermissionDenied
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset  # schema generation: no user, no rows
        rows = self.rows(self.request.user)
        if self.action == "list" and not rows.query.order_by:
            rows = rows.order_by(*self.ordering)
        return rows

    def get_object(self) -> Any:
        pk = query_id(self.kwargs["pk"])
        if pk is None:  # past what the database holds: nothing there (never a database error)
            raise Http404
        return permissions.get_object_for_user(
            self.get_queryset(), self.request.user, self.detail_action, pk=pk
        )


class PublicReadMixin:
    """Resources whose page anybody may open (estates, units): anonymous callers read the public rows."""

    permission_classes: Sequence[Any] = [drf_permissions.AllowAny]


class RootView(LanguageMixin, routers.APIRootView):
    """The list of resources (anybody may read it; each resource applies the gate)."""

    permission_classes: Sequence[Any] = [drf_permissions.AllowAny]
