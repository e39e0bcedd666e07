"""The cache in files (one machine without Redis): Django's, culled every so many writes, not at each.

Django's ``FileBasedCache`` lists every file of its directory before each write to see whether it is
full (``_cull``): with a few thousand entries that is 5–15 ms a write, and a staff list's first view after
a change writes several (its table, its filter form's options, its count) — a third of its CPU at
100,000 units. Here a process culls on its first write and then every ``CULL_EVERY`` writes; between
two culls the directory may hold up to ``CULL_EVERY`` entries per process above ``MAX_ENTRIES``, which
is what that saving costs.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writes = itertools.count()

    def _cull(self) -> None:
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # not in the stubs
