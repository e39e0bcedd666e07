"""What every resource view shares: the one gate (``restrict`` / ``get_object_for_user``), the page's own
queryset function and FilterSet, the caller's language from ``Accept-Language``, its documentation, and the
way a write goes: the page's gate, the page's form over the body, the page's service, the row as shown.

A resource is a few lines::

    class PlantViewSet(GatedViewSet):
        serializer_class = PlantSerializer        # its model's (empty) queryset comes from here
        filterset_class = PlantFilter
        docs = Docs("Treatment plants · تصفیه‌خانه‌ها", "One treatment plant · یک تصفیه‌خانه", "…\n\n…")

        def rows(self, user): return plant_rows(user)

        @write("Report progress · گزارش پیشرفت", body=form_body(ProgressForm))
        def progress(self, request, pk=None):
            plant = self.gated(pk, permissions.CHANGE)
            form = self.submit(ProgressForm)
            services.report_progress(plant, …, by=request.user)
            return self.shown(plant)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, routers, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.pagination import BasePagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from peyvand.core import caching, permissions
from peyvand.core.search import query_id

from . import problems
from .filtering import FilterBackend
from .forms import form_data, form_errors, form_values
from .pagination import PagePagination
from .parsers import JSONParser

# A write takes a JSON object, or the page's own form post (with its files).
WRITE_PARSERS = [JSONParser, FormParser, MultiPartParser]


def bound_form(request: Any, form_class: Any, *, stored: Any = None, **form_kwargs: Any) -> Any:
    """The page's form bound to the request's body over the values the form ``stored`` shows — valid, or a
    400 with the page's own messages (``GatedViewSet.submit``, and the endpoints that are not a resource)."""
    initial = form_values(stored) if stored is not None else None
    files = getattr(request, "FILES", None) or None
    form = form_class(form_data(request.data, initial), files, **form_kwargs)
    refuse_unreadable_booleans(form, request.data)
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


# What a JSON body may send for a yes/no field: a checkbox reads any other text (0, "0", "no", "off") as yes.
READABLE_BOOLEANS = frozenset({"true", "false", "on", ""})


def refuse_unreadable_booleans(form: Any, body: Any) -> None:
    """A 400 for each yes/no field of ``form`` the JSON ``body`` sends as anything but true, false or null:
    the page's checkbox reads all text but "false" and "" as ticked, so ``0`` was stored as yes. A form post
    (a ``QueryDict``) sends the browser's own "on" or nothing."""
    if isinstance(body, QueryDict) or not hasattr(body, "items"):
        return
    wrong = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if not isinstance(field, forms.BooleanField) or key not in body:
            continue
        value = body[key]
        if not (
            value is None
            or isinstance(value, bool)
            or (isinstance(value, str) and value.lower() in READABLE_BOOLEANS)
        ):
            wrong[key] = [_("Send true or false.")]
    if wrong:
        raise exceptions.ValidationError(wrong)


@dataclass(frozen=True)
class Docs:
    """A resource's documentation: its list's and one row's summaries, and what the list holds (en, then fa)."""

    list: str
    item: str
    description: str = ""


def write(
    summary: str,
    description: str = "",
    *,
    body: Any = None,
    answer: Any = None,
    status: int = 200,
    detail: bool = True,
    url_path: str | None = None,
) -> Callable[[Any], Any]:
    """A POST that changes something (an ``@action``), documented: ``body`` is what it takes (``form_body``),
    ``answer`` what it returns with ``status`` (the resource's own row when left out)."""

    def decorator(method: Any) -> Any:
        responses = {status: answer} if answer is not None else None
        documented = extend_schema(
            summary=summary, description=description, request=body, responses=responses
        )
        return action(detail=detail, methods=["post"], url_path=url_path, parser_classes=WRITE_PARSERS)(
            documented(method)
        )

    return decorator


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
    """A resource: ``rows(user)`` is the page's queryset (already through the gate); ``detail_action`` is what
    opening one row needs (404 to outsiders); ``docs`` documents the list and one row. Writes (``create``,
    ``partial_update``, ``destroy`` or ``@write`` actions) use ``gated``, ``submit`` and ``shown``."""

    queryset: QuerySet  # the model's (empty) queryset: the schema reads it (from ``serializer_class``)
    docs: Docs | None = None
    parser_classes = WRITE_PARSERS
    filter_backends = [FilterBackend]
    pagination_class: type[BasePagination] | None = PagePagination
    detail_action = permissions.VIEW
    ordering: tuple[str, ...] = ("-id",)
    lookup_value_regex = r"[0-9]+"

    # The model whose list page refuses (403) those who may not see that kind of row at all; the API's list
    # refuses them too. ``None``: the page lists for everybody signed in (their own rows, maybe none).
    list_model: type[Model] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "queryset" not in cls.__dict__ and "serializer_class" in cls.__dict__:
            cls.queryset = cast(Any, cls.serializer_class).Meta.model.objects.none()
        if "docs" in cls.__dict__ and cls.docs is not None:
            extend_schema_view(
                list=extend_schema(summary=cls.docs.list, description=cls.docs.description),
                retrieve=extend_schema(summary=cls.docs.item),
            )(cls)

    def rows(self, user: Any) -> QuerySet:  # pragma: no cover - every resource defines it
        raise NotImplementedError

    # --- writes: the page's gate, the page's form, the page's service, the row as the caller sees it -----
    def gated(self, pk: Any, action: str, queryset: QuerySet | None = None) -> Any:
        """The row ``pk`` if the user may do ``action`` on it, as the page asks: 404 to those who may not see
        it (no existence oracle), 403 to those who see it but may not do this."""
        number = query_id(pk)
        if number is None:
            raise Http404
        rows = queryset if queryset is not None else self.queryset.model.objects.all()
        return permissions.get_object_for_user(rows, self.request.user, action, pk=number)

    def submit(self, form_class: Any, *, stored: Any = None, **form_kwargs: Any) -> Any:
        """The page's form bound to the body — over the values ``stored`` shows (a form of the stored row: the
        fields not sent keep their value) — valid, or a 400 with the page's own messages."""
        return bound_form(self.request, form_class, stored=stored, **form_kwargs)

    def edited(self, form_class: Any, instance: Model, **form_kwargs: Any) -> Any:
        """The page's edit form of ``instance`` bound to the body over what it stores (a ``PATCH``: the fields
        not sent keep their value) — valid, or a 400 with the page's own messages."""
        stored = form_class(instance=instance, **form_kwargs)
        return self.submit(form_class, stored=stored, instance=instance, **form_kwargs)

    def shown(self, row: Model, status: int = 200, serializer: Any = None) -> Response:
        """The written row as the caller reads it from this resource (or through ``serializer``)."""
        if serializer is None:
            row = self.rows(self.request.user).get(pk=row.pk)
            serializer = self.get_serializer_class()
        return Response(serializer(row, context=self.get_serializer_context()).data, status=status)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self.list_model is not None and not permissions.can(
            request.user, permissions.VIEW, self.list_model
        ):
            raise exceptions.PermissionDenied
        # The first page of a list is kept for the same caller and query until the data changes (as the
        # pages' tables are: ``caching.remember_data``); its links name the host it was asked on.
        read = super().list
        data = caching.remember_data(
            request._request,
            f"api-list {request.build_absolute_uri('/')}",
            lambda: read(request, *args, **kwargs).data,
        )
        return Response(data)

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
