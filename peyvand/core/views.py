"""Generic view helpers every domain app uses: the filtered, sortable, paginated list; the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_filters import FilterSet
from django_tables2 import RequestConfig, Table


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
    table = table_class(rows, request=request, **table_kwargs)
    RequestConfig(request, paginate={"per_page": settings.PEYVAND_PAGE_SIZE}).configure(table)
    return filterset, table


def render_list(
    request: HttpRequest,
    template: str,
    queryset: models.QuerySet,
    filterset_class: type[FilterSet],
    table_class: type[Table],
    context: dict[str, Any] | None = None,
    **table_kwargs: Any,
) -> HttpResponse:
    """The standard list page: filters, table, count, pagination (the htmx partial when asked)."""
    filterset, table = filtered_table(request, queryset, filterset_class, table_class, **table_kwargs)
    active_filters = sum(1 for key, value in request.GET.items() if value and key not in {"page", "sort"})
    page_context = {
        "filter": filterset,
        "table": table,
        "total": table.paginator.count,
        "active_filters": active_filters,
        **(context or {}),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "list-results":
        return render(request, f"{template}#results", page_context)
    return render(request, template, page_context)


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
