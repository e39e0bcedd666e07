"""Deep pages of long lists: the page's ids first, then its rows ("deferred join").

``OFFSET 50000 LIMIT 25`` over a list that joins estates, counties and ISIC classes builds and throws
away 50,000 joined rows. Read deep into a list, a page is fetched in two steps instead: the ids of the
page in the list's order (the filters and the ordering only, no joined columns, often from an index),
then those 25 rows with everything the table shows. Same rows, same order, same page numbers and URLs;
shallow pages keep their single query. The list's count and a deep page's ids are kept under the data
version (exact, and read afresh after any change).
"""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

from .caching import remember_query

DEFERRED_FROM = 500  # rows skipped before a page is read by its ids first

_classes: dict[type, type] = {}


class DeferredPagingMixin:
    def __getitem__(self, key):
        if (
            isinstance(key, slice)
            and key.step is None
            and (key.start or 0) >= DEFERRED_FROM
            and self._result_cache is None
            and self._iterable_class is ModelIterable
        ):
            ids = _page_ids(self.values_list("pk", flat=True)[key])
            rows = {row.pk: row for row in self.filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return super().__getitem__(key)

    def count(self):  # untyped as __getitem__: a mixin of whichever QuerySet class the list uses
        """The list's exact count, kept under the data version (``caching.remember``): a list of 100,000
        units counts them once after each change, not on every page view."""
        if self._result_cache is not None:
            return len(self._result_cache)
        return remember_query(("count",), self, super().count)


def _page_ids(ids: QuerySet) -> list:
    """A deep page's ids, kept under the data version by their query (scope, filters, order, offset):
    going back to a page skips the index walk to its offset (page 2000 of 100,000 units: ~10 ms of
    database a view); its rows are read and drawn afresh."""
    return remember_query(("page ids",), ids, lambda: list(ids))


def deferred_paging(queryset: QuerySet) -> QuerySet:
    """``queryset``, sliced deep by pages as described above (filters and ordering still chain)."""
    base = type(queryset)
    if issubclass(base, DeferredPagingMixin):
        return queryset
    if base not in _classes:
        _classes[base] = type(f"DeferredPaging{base.__name__}", (DeferredPagingMixin, base), {})
    clone = queryset.all()  # a copy: the class swap below leaves the caller's queryset alone
    clone.__class__ = _classes[base]
    return clone


MAX_PER_PAGE = 100  # rows a page may show when its query string asks for a size (?per_page=)


def _known_orderings(table: tables.Table, asked: list[str]) -> list[str]:
    """The orderings a query string asks for that name an orderable column (``?sort=name,-status``); the
    rest are ignored, as an unknown ordering was (a hostile value reached django-tables2's accessor)."""
    orderable = {column.name for column in table.columns.iterorderable()}
    return [
        ordering
        for value in asked
        for ordering in value.split(",")
        if ordering.strip().removeprefix("-") in orderable
    ]


class RequestConfig(tables.RequestConfig):
    """django-tables2's ``RequestConfig``, with the page size a query string asks for kept within
    1–``MAX_PER_PAGE`` (the default otherwise): ``?per_page=-1`` answered 500 on every list, and a huge
    size read every row of a list of 100,000 units into one page."""

    def configure(self, table: tables.Table) -> tables.Table:
        table.request = self.request
        order_by = _known_orderings(table, self.request.GET.getlist(table.prefixed_order_by_field))
        if order_by:
            table.order_by = order_by
        if not self.paginate:
            return table
        kwargs = dict(self.paginate) if hasattr(self.paginate, "items") else {}
        page = _number(self.request.GET.get(table.prefixed_page_field))
        if page is not None:
            kwargs["page"] = max(page, 1)
        per_page = _number(self.request.GET.get(table.prefixed_per_page_field))
        if per_page is not None and 1 <= per_page <= MAX_PER_PAGE:
            kwargs["per_page"] = per_page
        kwargs.pop("silent", None)
        try:
            table.paginate(**kwargs)
        except PageNotAnInteger:
            table.page = table.paginator.page(1)
        except EmptyPage:
            table.page = table.paginator.page(table.paginator.num_pages)
        return table


def _number(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None and len(raw) < 12 else None
    except ValueError:
        return None
