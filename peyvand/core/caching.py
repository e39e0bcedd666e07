"""Cached figures and anonymous pages, invalidated by one data version that every write changes.

What is cached (Django's cache: Redis when ``CACHE_URL`` names one, else files under the data
directory — see settings.py):

* KPI numbers (``remember``), keyed by the figure, the period, the filters and the *audience* — the
  public, the company's reports, or one signed-in user (their memberships decide what they count);
* whole pages for anonymous visitors only (``public_page``): home, statistics, the public directory
  and profiles. A page for a signed-in user is never stored or served from here, nor a page with a
  message on it, a cookie set by the view, or a streamed body.

Every key carries the *data version*. Any INSERT, UPDATE or DELETE of a domain table, by a page, the API,
a job, an import or a raw SQL statement, changes the version once its transaction commits (a wrapper on
the database connection sees the statement), so the next reader computes afresh — a change shows at
once, in every process that shares the cache. Inside a transaction that has written, the cache is
neither read nor filled: that transaction sees rows nobody else sees yet.

The CSRF token of a stored page is a placeholder, replaced by the visitor's own token when served.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .replicas import current_replica

VERSION_KEY = "peyvand:data-version"
EPOCH_KEY = "peyvand:epoch"  # moves with ``bump`` only: what is kept by tables is stale too
TABLE_VERSION_KEY = "peyvand:table-version:"
_WRITTEN = "_peyvand_written_tables"  # on a connection: the tables its open transaction wrote
CSRF_PLACEHOLDER = "peyvandcsrftokenplaceholderofacachedpage0000000000000000000000000"
# Writes to these tables change nothing a cached figure or page shows (sessions, the audit trail,
# login attempts, the job queue, notifications, a user's last login, an API token's last use — written
# once a minute by every client, it would empty everybody's cache as often —, an import's own batch and
# saved mappings — an import's rows are written to the domain tables, which do change the version).
IGNORED_TABLES = re.compile(
    r"^(django_session|django_admin_log|django_tasks|auditlog_|axes_|notifications_|accounts_user$"
    r"|api_apitoken$|core_importbatch$|core_importmapping$)"
)
# A table named as PostgreSQL and SQLite read it: "quoted" (as written) or bare (folded to lower case),
# maybe after its schema ("public"."units_productionunit").
_NAME = r'(?:"[^"]+"|\w+)(?:\s*\.\s*(?:"[^"]+"|\w+))?'
# What a statement writes, wherever it stands: first, after a WITH (a CTE) or a comment.
_WRITES = r"(?:INSERT\s+INTO|(?<!FOR )UPDATE(?:\s+ONLY)?|DELETE\s+FROM(?:\s+ONLY)?|MERGE\s+INTO)\s+"
_WRITE_FIRST = re.compile(rf"^\s*{_WRITES}({_NAME})", re.I)  # the ORM's statements: one table, first
_WRITE = re.compile(rf"\b{_WRITES}({_NAME})", re.I)
_TRUNCATE = re.compile(r"^\s*TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?\s+([^;]+)", re.I)
_READ_ONLY = re.compile(r"^\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|EXPLAIN)\b", re.I)


# --- The data version ---------------------------------------------------------------------------
def data_version() -> str:
    """The current version token (a new one when the cache has lost it: nothing stored matches it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = bump()
    return str(version)


def _new_token() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(4)}"  # unique without an atomic increment


def bump() -> str:
    """A new data version and a new epoch: everything stored before is stale from now on (what a
    write to unknown tables, a test or the benchmark's "cold" asks; a write calls ``tables_written``)."""
    version = _new_token()
    cache.set_many({VERSION_KEY: version, EPOCH_KEY: _new_token()}, None)
    return version


def tables_written(tables: Iterable[str]) -> None:
    """Rows of ``tables`` changed (and were committed): a new data version, and a new version of each
    of these tables — what is kept by the tables it reads (``remember_by_tables``) is stale if it read
    one of them, and still good otherwise."""
    tokens = {VERSION_KEY: _new_token()}
    tokens.update({TABLE_VERSION_KEY + table: _new_token() for table in tables})
    cache.set_many(tokens, None)


def _bump_after_commit() -> None:
    connection = connections[DEFAULT_DB_ALIAS]  # the only connection whose writes are watched
    tables_written(connection.__dict__.pop(_WRITTEN, set()))


def _in_written_transaction(connection: BaseDatabaseWrapper) -> bool:
    return connection.in_atomic_block and any(
        entry[1] is _bump_after_commit for entry in connection.run_on_commit
    )


def note_write(connection: BaseDatabaseWrapper, table: str) -> None:
    """The domain table ``table`` changed on ``connection``: its version and the data version move now
    (autocommit) or when the transaction commits (every table it wrote; a transaction rolled back leaves
    its tables to be moved with the next commit — moved once too often, never too few)."""
    if not connection.in_atomic_block:
        tables_written([table])
        return
    connection.__dict__.setdefault(_WRITTEN, set()).add(table)
    if not _in_written_transaction(connection):
        connection.on_commit(_bump_after_commit)


def _table_name(named: str) -> str:
    """The table of a name as a statement wrote it: without its schema or quotes; bare names folded to
    lower case, as the database folds them (``UPDATE ESTATES_INDUSTRIALESTATE`` writes Django's table)."""
    last = re.split(r'\s*\.\s*(?=(?:"[^"]*"|\w+)\s*$)', named.strip())[-1]
    return last[1:-1] if last.startswith('"') else last.lower()


def written_tables(sql: str) -> list[str]:
    """The tables an INSERT, UPDATE, DELETE, MERGE or TRUNCATE statement writes (none for a read): the
    ORM's own statements and raw SQL alike — a schema named, quotes or not, a WITH before the write, every
    table of a TRUNCATE. A table named too often moves its version once too often, never too few."""
    if _READ_ONLY.match(sql):
        return []
    truncated = _TRUNCATE.match(sql)
    if truncated:
        names = re.split(
            r"\s*,\s*", re.sub(r"(?i)\s+(RESTART|CONTINUE)\s+IDENTITY.*|\s+CASCADE.*", "", truncated[1])
        )
        return [_table_name(name) for name in names if name.strip()]
    first = _WRITE_FIRST.match(sql)  # not a scan of a bulk insert's rows
    if first:
        return [_table_name(first[1])]
    return [_table_name(named) for named in _WRITE.findall(sql)]


def written_table(sql: str) -> str | None:
    """The first table ``sql`` writes (``written_tables``); None for a read."""
    tables = written_tables(sql)
    return tables[0] if tables else None


def watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    """A database execute wrapper: runs the statement, and notes each domain table it wrote."""
    result = execute(sql, params, many, context)
    for table in written_tables(sql):
        if not IGNORED_TABLES.match(table):
            note_write(context["connection"], table)
    return result


def install(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """``connection_created`` receiver: watch the writes of every new connection of the primary."""
    if connection.alias == DEFAULT_DB_ALIAS and watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def usable() -> bool:
    """Whether this thread may read and fill the cache now: not inside a transaction that has written,
    nor reading a replica that may not have the latest change yet (``_replica_may_lag``)."""
    return not _in_written_transaction(connections[DEFAULT_DB_ALIAS]) and not _replica_may_lag()


def changed_at(version: str) -> float:
    """When ``version`` was started (seconds since the epoch): ``bump`` names it after that moment."""
    try:
        return int(version[:-8], 16) / 1e9
    except ValueError:
        return 0.0


def _replica_may_lag() -> bool:
    """This request reads a replica within ``PEYVAND_REPLICA_PIN_SECONDS`` of the last change (the lag
    the replicas' pin allows for). What it reads may miss that change, and kept under the new version it
    would be served stale until the next change (up to ``PEYVAND_CACHE_SECONDS``), to everybody with the
    same view — an API client that writes and then lists, without the browser's pin cookie, first."""
    if current_replica() is None:
        return False
    return time.time() - changed_at(data_version()) < settings.PEYVAND_REPLICA_PIN_SECONDS


# --- Figures --------------------------------------------------------------------------------------
def audience(user: Any) -> str:
    """Whose view a figure counts: the public (every anonymous visitor alike), the company's reports
    (no user), a superuser (every row), or one signed-in user (their memberships scope the rows)."""
    if user is None:
        return "reports"
    if not getattr(user, "is_authenticated", False):
        return "public"
    if user.is_superuser and user.is_active:
        return "all"
    return f"user{user.pk}-{int(user.is_active)}"


def _key(kind: str, parts: tuple[Hashable, ...], version: str | None = None) -> str:
    return f"peyvand:{kind}:{version or data_version()}:{_digest(parts)}"


def _digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _kept[T](key: str | None, compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``key`` for ``PEYVAND_CACHE_SECONDS`` (``None``: not kept). Not stored
    when the computing wrote (``usable``): that transaction saw rows nobody else sees yet."""
    found = cache.get(key) if key is not None else None
    if found is not None:
        return found[0]
    value = compute()
    if key is not None and usable():
        cache.set(key, (value,), settings.PEYVAND_CACHE_SECONDS)
    return value


@functools.cache
def _model_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def tables_read(sql: str) -> frozenset[str]:
    """The models' tables a statement names (its joins and subqueries alike)."""
    return frozenset(re.findall(r'"(\w+)"', sql)) & _model_tables()


def _versions(names: list[str]) -> list[str]:
    """The current tokens of ``names`` (the epoch, tables' versions); a lost one is replaced by a new
    one, never read as an old one."""
    versions = cache.get_many(names)
    missing = {name: _new_token() for name in names if name not in versions}
    if missing:
        cache.set_many(missing, None)
        versions.update(missing)
    return [versions[name] for name in names]


def _noting_tables[T](compute: Callable[[], T]) -> tuple[T, frozenset[str]]:
    """``compute()`` and the models' tables every statement it ran named (on any connection)."""
    seen: set[str] = set()

    def note(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        seen.update(tables_read(sql))
        return execute(sql, params, many, context)

    with contextlib.ExitStack() as stack:
        for connection in connections.all():  # a reader not connected yet too (a replica)
            stack.enter_context(connection.execute_wrapper(note))
        value = compute()
    return value, frozenset(seen)


def remember_by_tables[T](parts: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` kept until a table it reads changes (or ``bump``), not until any write: a select's
    options over the estates stay good while units are written. The tables are those of every statement
    it ran — its joins and the labels' own lookups alike — learned on a first run that stores nothing
    (so no write between reading and keying is missed), then kept under the epoch; a run that reads a
    table not yet known stores nothing and learns it."""
    if not settings.PEYVAND_CACHE_SECONDS or not usable():
        return compute()
    epoch = _versions([EPOCH_KEY])[0]
    learned_key = f"peyvand:tables-of:{epoch}:{_digest(parts)}"
    known = cache.get(learned_key)
    key = None
    if known is not None:
        names = [TABLE_VERSION_KEY + table for table in sorted(known)]
        key = f"peyvand:by-tables:{_digest(parts, epoch, _versions(names))}"
        found = cache.get(key)
        if found is not None:
            return found[0]
    value, tables = _noting_tables(compute)
    if not usable():
        return value
    if known is None or not tables <= known:
        cache.set(learned_key, tables | (known or frozenset()), settings.PEYVAND_CACHE_SECONDS * 12)
    elif key is not None:
        cache.set(key, (value,), settings.PEYVAND_CACHE_SECONDS)
    return value


def remember[T](parts: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``parts`` and the data version for ``PEYVAND_CACHE_SECONDS``."""
    if not settings.PEYVAND_CACHE_SECONDS or not usable():
        return compute()
    return _kept(_key("figure", parts), compute)


def remember_many[T](keys: list[tuple[Hashable, ...]], compute: Callable[[list[int]], list[T]]) -> list[T]:
    """``remember`` for several figures at once: the kept ones read in one cache round trip, and
    ``compute(missing)`` (the positions of the others) asked once for all of them — so a series of
    figures can be counted in one pass over the data rather than one query each."""
    if not settings.PEYVAND_CACHE_SECONDS or not usable():
        return compute(list(range(len(keys))))
    version = data_version()
    names = [_key("figure", parts, version) for parts in keys]
    found = cache.get_many(names)
    missing = [position for position, name in enumerate(names) if name not in found]
    computed = dict(zip(missing, compute(missing) if missing else [], strict=True))
    if missing and usable():
        cache.set_many(
            {names[position]: (computed[position],) for position in missing}, settings.PEYVAND_CACHE_SECONDS
        )
    return [
        computed[position] if position in computed else found[name][0] for position, name in enumerate(names)
    ]


def remember_query[T](parts: tuple[Hashable, ...], rows: QuerySet, compute: Callable[[], T]) -> T:
    """``compute()`` over ``rows``, kept under ``parts``, the data version and the rows' SQL (their scope,
    filters, order and slice); rows that can match nothing (Django answers them without the database)
    are computed, not kept."""
    try:
        sql = str(rows.query)
    except EmptyResultSet:
        return compute()
    return remember((*parts, rows.db, sql), compute)


def remember_rows[T](kind: str, user: Any, rows: QuerySet, compute: Callable[[], T]) -> T:
    """``compute()`` over ``rows`` (a list's totals, its counts by stage), kept under the data version and
    keyed on whose view it is (``audience``) and the rows' SQL (their scope and filters)."""
    return remember_query((kind, audience(user)), rows, compute)


# --- Anonymous pages -------------------------------------------------------------------------------
def _page_key(request: HttpRequest) -> str:
    htmx = sorted((name, value) for name, value in request.META.items() if name.startswith("HTTP_HX_"))
    parts = (
        request.path,
        sorted(request.GET.lists()),
        translation.get_language(),
        timezone.localdate().isoformat(),  # figures "as of today" change at midnight
        htmx,
    )
    return _key("page", (parts,))


def _cacheable_request(request: HttpRequest, first_page_only: bool) -> bool:
    if request.method != "GET" or not settings.PEYVAND_CACHE_SECONDS:
        return False
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return False
    if "export" in request.GET:  # a download of every row: not worth keeping
        return False
    if first_page_only and any(name == "page" or name.endswith("-page") for name in request.GET):
        return False
    return usable()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(messages.get_messages(request))
        and not getattr(request, "_csp_nonce", None)  # a nonce is per response
        and usable()
    )


def _served(request: HttpRequest, stored: tuple[int, bytes, list[tuple[str, str]]]) -> HttpResponse:
    status, content, headers = stored
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def public_page(first_page_only: bool = False) -> Callable:
    """Serve the view's page to anonymous visitors from the cache (see the module docstring);
    ``first_page_only``: a list's later pages are read afresh (few visit them; they would crowd out
    the rest)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request, first_page_only):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            stored = cache.get(key)
            if stored is not None:
                return _served(request, stored)
            request._peyvand_cached_page = True  # type: ignore[attr-defined]  # the CSRF placeholder
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            finally:
                request._peyvand_cached_page = False  # type: ignore[attr-defined]
            if not _storable(request, response):
                if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
                    response.content = response.content.replace(
                        CSRF_PLACEHOLDER.encode(), get_token(request).encode()
                    )
                return response
            headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
            stored = (response.status_code, response.content, headers)
            cache.set(key, stored, settings.PEYVAND_CACHE_SECONDS)
            return _served(request, stored)

        return wrapped

    return decorator


def _is_page_field(field: str) -> bool:
    return field == "page" or field.endswith("-page")


def fragment_key(request: HttpRequest | None, name: str, every_page: bool = False) -> str | None:
    """The key of a list page's fragment ``name`` (its table, its filter form) for this request, or None
    when it is not to be kept: not a GET, a later page (few visit one twice; they would crowd out the
    rest), a download, inside a transaction that has written, or the cache turned off.

    The fragment is the same for the same audience (``audience``: a signed-in user's own key, so nobody
    is served rows counted for somebody else), path and query string, language and day — and the data
    version (``_key``), so a write shows at once. The user's money unit too: amounts are drawn in it, and
    it is neither in the audience (superusers share one) nor a write that moves the version."""
    user = getattr(request, "user", None)
    if request is None or user is None or request.method != "GET" or not settings.PEYVAND_CACHE_SECONDS:
        return None
    if any(
        field in ("cursor", "export") or (_is_page_field(field) and not every_page) for field in request.GET
    ):
        return None
    if not usable():
        return None
    parts = (
        name,
        audience(user),
        request.path,
        tuple(
            (field, tuple(values))
            for field, values in sorted(request.GET.lists())
            if not (every_page and _is_page_field(field))
        ),
        translation.get_language(),
        getattr(user, "money_unit", ""),  # amounts drawn in the user's unit (not in the audience)
        timezone.localdate().isoformat(),
    )
    return _key("fragment", parts)


def remember_fragment(
    request: HttpRequest | None, name: str, draw: Callable[[], str], every_page: bool = False
) -> str:
    """The HTML ``draw()`` returns, kept under ``fragment_key``. ``draw`` sees the CSRF placeholder as its
    token (``csrf_context``), which is replaced by this visitor's own token each time it is served.
    ``every_page``: the fragment is the same on every page of the list (its filter form), kept for all."""
    key = fragment_key(request, name, every_page)
    stored = cache.get(key) if key is not None else None
    if stored is None:
        stored = draw()
        if key is not None and usable():
            cache.set(key, stored, settings.PEYVAND_CACHE_SECONDS)
    if request is None or getattr(request, "_peyvand_cached_page", False):
        return stored  # a whole page being stored: its own placeholder is replaced when it is served
    return stored.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in stored else stored


def remember_data[T](request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """What ``compute()`` returns for this request (an API list's first page: its rows, count and links),
    kept under ``fragment_key`` — per audience, path and query string, language, day and data version,
    so the same caller asking again is not read the rows again and a write shows at once. ``name`` holds
    what else the value depends on (the API's links carry the host)."""
    return _kept(fragment_key(request, name), compute)


def csrf_context(request: HttpRequest) -> dict[str, str]:
    """The context processor's part (``context_processors.cached_page_csrf``, after Django's own)."""
    if getattr(request, "_peyvand_cached_page", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
