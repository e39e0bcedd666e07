"""Deep pages of long lists: the page's ids first, then its rows ("deferred join").

``OFFSET 50000 LIMIT 25`` over a list that joins estates, counties and ISIC classes builds and throws
away 50,000 joined rows. Read deep into a list, a page is fetched in two steps instead: the ids of the
page in the list's order (the filters and the ordering only, no joined columns, often from an index),
then those 25 rows with everything the table shows. Same rows, same order, same page numbers and URLs;
shallow pages keep their single query.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.query import ModelIterable

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
            ids = list(self.values_list("pk", flat=True)[key])
            rows = {row.pk: row for row in self.filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return super().__getitem__(key)


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
