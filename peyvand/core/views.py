"""Generic view helpers every domain app uses: the filtered, sortable, paginated list; the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_filters import FilterSet
from django_tables2 import Table

from . import exports, permissions
from .paging import RequestConfig, deferred_paging


def filtered_table(
    request: HttpRequest,
    queryset: models.QuerySet,
    filterset_class: type[FilterSet],
    table_class: type[Table],
    **table_kwargs: Any,
) -> tuple[FilterSet, Table]:
    """Apply the page's FilterSet to ``queryset`` and wrap the result in a sortable, paginated table."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()
        say_what_could_not_be_read(request, filterset.form)
    table = table_class(deferred_paging(rows), **table_kwargs)
    RequestConfig(request, paginate={"per_page": settings.PEYVAND_PAGE_SIZE}).configure(table)
    return filterset, table


def say_what_could_not_be_read(request: HttpRequest, form: Any) -> None:
    """A list's query string that its form refuses (a date that does not exist, a search of a thousand
    words) shows no rows and says why, field by field — never an error page."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.warning(request, f"{label}: {error}" if label else error)


def render_list(
    request: HttpRequest,
    template: str,
    queryset: models.QuerySet,
    filterset_class: type[FilterSet],
    table_class: type[Table],
    context: dict[str, Any] | None = None,
    **table_kwargs: Any,
) -> HttpResponse:
    """The standard list page: filters, table, count, pagination (the htmx partial when asked).

    ``?export=xlsx`` or ``?export=csv`` downloads every row the filters select (not only the page), in
    the current order, with the table's columns — the same table the page shows this user.
    """
    file_format = request.GET.get("export")
    if file_format in exports.FORMATS:
        return export_list(request, queryset, filterset_class, table_class, file_format, **table_kwargs)
    filterset, table = filtered_table(request, queryset, filterset_class, table_class, **table_kwargs)
    active_filters = sum(1 for key, value in request.GET.items() if value and key not in {"page", "sort"})
    page_context = {
        "filter": filterset,
        "table": table,
        "total": table.paginator.count,
        "active_filters": active_filters,
        "can_export": may_export(request.user, queryset.model),
        **(context or {}),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "list-results":
        response = render(request, f"{template}#results", page_context)
        # The export links in the page header follow the filters (an out-of-band swap).
        buttons = render_to_string("core/export_buttons.html", {**page_context, "oob": True}, request=request)
        response.content += buttons.encode()
        return response
    return render(request, template, page_context)


def may_export(user: Any, model: type[models.Model]) -> bool:
    """Staff with ``export``; anybody for public lists (the public table shows only public fields)."""
    gate = permissions.gate_of(model)
    return permissions.can(user, permissions.EXPORT, model) or gate.kind in permissions.PUBLIC_KINDS


def export_list(
    request: HttpRequest,
    queryset: models.QuerySet,
    filterset_class: type[FilterSet],
    table_class: type[Table],
    file_format: str,
    **table_kwargs: Any,
) -> HttpResponse:
    if not may_export(request.user, queryset.model):
        raise PermissionDenied
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()
    table = table_class(rows, **table_kwargs)
    RequestConfig(request, paginate=False).configure(table)
    with translation.override("en"):
        name = str(queryset.model._meta.verbose_name_plural)
    return exports.export_table(table, file_format, name)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Remember the interface language with the cookie settings (Secure in production, HttpOnly, SameSite)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembering the choice on the user's account too."""
    language = request.POST.get("language", "")
    response = django_set_language(request)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        next_url = request.POST.get("next", "/")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            response["Location"] = translate_url(next_url, language)
    return response
