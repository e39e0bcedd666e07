"""Read replicas: the pages people only read (GET, HEAD) are served from a PostgreSQL streaming replica.

Enabled by ``DATABASE_REPLICA_URLS`` (one URL or several, comma-separated; settings.py adds an alias
``replica1``, ``replica2``… per URL, this router and this middleware). Without it nothing changes.

* Every write goes to the primary (``default``), and so does every read of a request that may write
  (POST, PUT, PATCH, DELETE): a form reads what it is about to change from the primary.
* A GET or HEAD reads from a replica, picked per request — unless the same browser wrote something in
  the last ``PEYVAND_REPLICA_PIN_SECONDS`` (a cookie set by the writing request): after "saved" the
  page it is redirected to reads the primary, so nobody sees their own change missing while the
  replica catches up (streaming replication lags by milliseconds to seconds).
* Inside ``transaction.atomic()`` reads stay on the primary too (a GET that writes, e.g. a first
  login's session, reads its own writes).
* Migrations run on the primary only; replicas receive them by replication.
"""

from __future__ import annotations

import contextvars
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "peyvand_primary"
_use_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("peyvand_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def current_replica() -> str | None:
    """The replica this request reads from (``None``: the primary, or no replicas)."""
    return _use_replica.get()


@contextmanager
def reading_from(alias: str | None) -> Iterator[None]:
    """Reads inside the block go to the replica ``alias`` (``None``: the primary)."""
    token = _use_replica.set(alias)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    """Reads to the replica chosen for the current request, writes and migrations to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        alias = _use_replica.get()
        if alias is None or _writing():
            return "default"
        return alias

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


class ReplicaMiddleware:
    """Picks a replica for reading requests; pins a browser to the primary for a while after it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replicas = replica_aliases()
        reading = request.method in ("GET", "HEAD")
        pinned = _pinned(request)
        alias = random.choice(replicas) if replicas and reading and not pinned else None
        with reading_from(alias):
            response = self.get_response(request)
        if not reading and replicas:
            seconds = settings.PEYVAND_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _writing() -> bool:
    """Inside ``transaction.atomic()`` on the primary: read what this transaction wrote."""
    return connections["default"].in_atomic_block


def _pinned(request: HttpRequest) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) >= time.time()
    except ValueError:
        return False
