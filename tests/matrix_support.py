"""What the permission matrix's declarations are written with: the personas, the answers and the
helpers that build a valid POST and check that it wrote. The GET and POST matrices live in
``test_permission_matrix.py``; each app that landed later declares its own POSTs in ``post_matrix_<app>.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from peyvand.core.caching import written_table

PERSONAS = ["manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor", "anonymous"]


def everyone(answer: Any) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, answer)


def signed_in(answer: Any) -> dict[str, Any]:
    return {**everyone(answer), "anonymous": "login"}


def only(answer_for: dict[str, Any], otherwise: Any = 403) -> dict[str, Any]:
    return {**signed_in(otherwise), **answer_for}


Objects = dict[str, Any]

# --- POST declarations ----------------------------------------------------------------------------
# Each entry: (kwargs builder, data builder, check that the write happened, {persona: answer}).
# "done": the POST was accepted (a redirect or a page) and its check holds; any other answer (403, 404,
# "login", "redirect", 200, 405, 410) is a refusal or a no-op, after which nothing in the database changed.
DONE = "done"
Check = Callable[[Objects, Any], bool]
Data = Callable[[Objects], dict[str, Any]]


def as_post(form: Any, **overrides: Any) -> dict[str, Any]:
    """The POST data a browser sends for ``form`` as it is first shown (its initial values), changed by
    ``overrides``: a *valid* form, so that an accepted POST writes."""
    import datetime as dt

    from peyvand.core.jalali import jalali_text

    data: dict[str, Any] = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value == "" or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple) or hasattr(value, "model"):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, dt.date):
            data[bound.html_name] = jalali_text(value)
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))
    for name, value in overrides.items():
        if value is None:
            data.pop(form.add_prefix(name), None)
        else:
            data[form.add_prefix(name)] = value
    return data


def _changed(model_name: str, **lookup: Any) -> Check:
    def check(o: Objects, user: Any) -> bool:
        from django.apps import apps

        app_label, name = model_name.split(".")
        return apps.get_model(app_label, name).objects.filter(**lookup).exists()

    return check


def _user_field(field: str, value: Any) -> Check:
    def check(o: Objects, user: Any) -> bool:
        user.refresh_from_db()
        return getattr(user, field) == value

    return check


def _today() -> str:
    from django.utils import timezone

    from peyvand.core.jalali import jalali_text

    return jalali_text(timezone.localdate())


def _own_estate(o: Objects, user: Any) -> Any:
    """The estate of the persona's own company (company B's staff get one of theirs)."""
    from peyvand.core import permissions

    companies = permissions.organisations(user, "estate_company")
    if not companies or o["estate_a"].company_id in companies:
        return o["estate_a"]
    from .factories import EstateFactory

    return EstateFactory(company_id=companies[0])


PostEntry = tuple[Callable[[Objects], dict[str, Any]], Callable[[Objects, Any], dict], Check, dict]


# --- "Did this request change the database?" ------------------------------------------------------
# The tables of the project's apps, the accounts and the audit log (with their many-to-many tables).
WATCHED_APPS = frozenset(
    {
        "accounts",
        "core",
        "imports",
        "estates",
        "units",
        "sourcing",
        "notifications",
        "auditlog",
        "revival",
        "investment",
        "green",
        "trade",
    }
)


@functools.cache
def _watched_models() -> list[Any]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WATCHED_APPS and model._meta.managed
    ]


@functools.cache
def _watched_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in _watched_models())


def _fingerprint() -> list[Any]:
    """Every row of the watched tables: what "nothing changed" means."""
    return [
        (model._meta.label, list(model.objects.order_by("pk").values_list())) for model in _watched_models()
    ]


class Changes:
    """Watches a block for writes to the watched tables; ``changed()`` after it says whether any row of
    them differs from before the block. Reading every row is costly, so it is done only when a write
    statement ran: the rows after are read, the block is rolled back to a savepoint taken before it and
    the rows before are read. A write undone inside the block (a failed form in a rolled-back
    transaction) is therefore no change; use it where the test ends after the check (it undoes the block)."""

    def __init__(self) -> None:
        self.wrote = False
        self._tables = _watched_tables()
        self._savepoint: str | None = None

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        if written_table(sql) in self._tables:
            self.wrote = True
        return execute(sql, params, many, context)

    def __enter__(self) -> Changes:
        from django.db import connection, transaction

        self._savepoint = transaction.savepoint_create()
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._wrapper.__exit__(*exc)

    def changed(self) -> bool:
        from django.db import transaction

        if not self.wrote:
            return False
        after = _fingerprint()
        transaction.savepoint_rollback(self._savepoint)
        self.wrote = False
        return _fingerprint() != after
