"""Pagination: cursors on the big lists (units), page numbers elsewhere."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = settings.PEYVAND_API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200


class NameCursorPagination(CursorPagination):
    """Stable under inserts: a client walking 100k units never sees a row twice or misses one."""

    page_size = settings.PEYVAND_API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering: tuple[str, ...] = ("sort_name", "id")


class IdCursorPagination(NameCursorPagination):
    ordering = ("-id",)
