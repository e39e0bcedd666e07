"""The file cache (one machine without Redis) culls every ``CULL_EVERY`` writes instead of listing its
whole directory before each write, and still keeps the directory near its ``MAX_ENTRIES``."""

from __future__ import annotations

from pathlib import Path

from peyvand.core import filecache
from peyvand.core.filecache import FileCache


def _cache(tmp_path: Path, entries: int) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2}})


def test_writes_list_the_directory_once_per_cull_period(tmp_path, monkeypatch) -> None:
    cache = _cache(tmp_path, 5000)
    listed = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listed.append(1) or original(self))
    for number in range(250):
        cache.set(f"key{number}", number)
    assert len(listed) == 3  # writes 1, 101 and 201
    assert cache.get("key0") == 0
    assert cache.get("key249") == 249


def test_a_full_cache_is_still_culled(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(filecache, "CULL_EVERY", 10)
    cache = _cache(tmp_path, 20)
    for number in range(200):
        cache.set(f"key{number}", "x" * 100)
    files = list(tmp_path.glob("*.djcache"))
    assert len(files) <= 20 + 10  # at most one period's writes above the limit
    assert cache.get("key199") == "x" * 100  # the newest survives
