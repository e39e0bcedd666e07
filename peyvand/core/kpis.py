"""The KPI registry: each figure the company reads out is declared once, with its definition and its list.

Why here, in ``core``: nothing may import ``insights`` (ARCHITECTURE.md), yet every domain app must be
able to declare its own figures. So the *mechanism* — the ``KPI`` declaration, the periods and the
registry — is domain-free and lives in ``core``; each app declares its KPIs in its own ``kpis.py``
module (``peyvand/units/kpis.py``, later ``peyvand/investment/kpis.py`` …) by calling ``register()``,
and ``registry()`` imports the ``kpis`` module of every installed app on first use (Django's
``autodiscover_modules``, as the admin does). ``insights`` only reads the registry: its pages, the
press report and the open data all walk it.

A KPI declares:

* ``code``, a translatable ``name`` (fa/en through the catalogue) and its ``definition`` (shown on
  every page and in the press report's footnotes), its ``unit`` and its ``period`` semantics;
* the ``filters`` it accepts (``estate``, ``county``, ``isic``, ``size``);
* ``rows(query)``: the queryset behind the figure for that query (user scope, period, filters), and
  ``aggregate`` (``None``: count the rows; else an aggregate expression such as ``Sum("value")``);
* ``list_url(query)``: the list page whose filters build that very queryset — a test walks the
  registry and holds every figure equal to its list's count (or the list's total ``total_key``);
* ``denominator`` (a ratio's base rows) for shares, shown as "of N";
* ``public``: whether anybody may see the figure; ``public_list``: whether its list is public too.

Figures of modules that have not landed are declared as placeholders (``available=False``) that say
"not yet available" — never a guessed number; the module's own declaration of the same code replaces
the placeholder whatever the import order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import jdatetime
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from . import caching, jalali, permissions

# --- Periods --------------------------------------------------------------------------------------
AS_OF = "as_of"  # a stock on a date, rebuilt from dated history (e.g. operating units on 1405/02/10)
WINDOW = "window"  # a flow inside a period (e.g. units returned to production in the last 12 months)
CURRENT = "current"  # the register as it stands today; no dated history is kept for it
PERIOD_SEMANTICS = {
    AS_OF: _("as of the date"),
    WINDOW: _("within the period"),
    CURRENT: _("as registered today"),
}

LAST_12_MONTHS = "12m"
JALALI_YEAR = "year"
JALALI_MONTH = "month"
PERIOD_KINDS = {
    LAST_12_MONTHS: _("the last 12 months"),
    JALALI_YEAR: _("the Jalali year to date"),
    JALALI_MONTH: _("the Jalali month to date"),
}

FILTERS = ("estate", "county", "isic", "size")


def last_twelve_months(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The 12 months ending today, both ends inclusive (from the day after the same date last year)."""
    today = today or timezone.localdate()
    return shift_year(today, -1) + dt.timedelta(days=1), today


def shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def jalali_month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def jalali_month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = jdatetime.date(year, month, 1).togregorian()
    return first, first + dt.timedelta(days=jalali_month_length(year, month) - 1)


def jalali_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(
        year + 1, 1, 1
    ).togregorian() - dt.timedelta(days=1)


def _jalali_same_day(day: dt.date, years: int) -> dt.date:
    """The same Jalali day ``years`` Jalali years away (30 Esfand of a leap year → 29 Esfand)."""
    jday = jalali.to_jalali(day)
    year = jday.year + years
    return jdatetime.date(
        year, jday.month, min(jday.day, jalali_month_length(year, jday.month))
    ).togregorian()


@dataclass(frozen=True)
class Period:
    """``kind`` ending on ``end``: the last 12 months, or the Jalali year or month up to ``end``."""

    end: dt.date
    kind: str = LAST_12_MONTHS

    @property
    def start(self) -> dt.date:
        if self.kind == JALALI_YEAR:
            return jalali_year_bounds(jalali.to_jalali(self.end).year)[0]
        if self.kind == JALALI_MONTH:
            jday = jalali.to_jalali(self.end)
            return jalali_month_bounds(jday.year, jday.month)[0]
        return last_twelve_months(self.end)[0]

    def a_year_before(self) -> Period:
        """The same period one year earlier (the same Jalali days for Jalali periods)."""
        if self.kind == LAST_12_MONTHS:
            return Period(shift_year(self.end, -1), self.kind)
        return Period(_jalali_same_day(self.end, -1), self.kind)

    def label(self) -> str:
        """``۱۴۰۴/۰۳/۲۶ تا ۱۴۰۵/۰۳/۲۵`` / ``Ordibehesht 1405`` — the period as a reader names it."""
        if self.kind == JALALI_YEAR:
            year = jalali.to_jalali(self.end).year
            text = jalali.localize_digits(year) if jalali.is_persian() else str(year)
            return str(_("Jalali year %(year)s to %(date)s")) % {
                "year": text,
                "date": jalali.format_date(self.end),
            }
        return str(_("%(start)s to %(end)s")) % {
            "start": jalali.format_date(self.start),
            "end": jalali.format_date(self.end),
        }


@dataclass(frozen=True)
class Query:
    """What a figure is asked for: whose view (``user``; ``None`` for the company's own reports, which
    see every row), which period (its ``end`` is the "as of" date), and which filters (list-filter
    values: estate / county / ISIC division ids, a size-class code)."""

    user: Any
    period: Period
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def on(self) -> dt.date:
        return self.period.end

    @property
    def is_today(self) -> bool:
        return self.period.end >= timezone.localdate()

    def with_period(self, period: Period) -> Query:
        return replace(self, period=period)

    def with_filters(self, **filters: str) -> Query:
        return replace(self, filters={**self.filters, **{k: v for k, v in filters.items() if v}})


# --- Declarations ---------------------------------------------------------------------------------
Rows = Callable[[Query], QuerySet]
Numbers = tuple[int | float | Decimal, int | None]  # a figure's value and a ratio's base
# ``series(query, days)``: the numbers of ``rows`` (and ``denominator``) on each of ``days`` for the
# query's user and filters, counted together — what ``evaluate`` would count one day at a time.
Series = Callable[[Query, list[dt.date]], Mapping[dt.date, Numbers]]

COUNT = "count"
PERCENT = "percent"
RIAL = "rial"
UNITS = {COUNT: _("number"), PERCENT: _("per cent"), RIAL: _("rial"), "usd": _("US dollars")}


@dataclass(frozen=True)
class KPI:
    """One figure, defined once (see the module docstring)."""

    code: str
    name: str | Promise
    definition: str | Promise
    unit: str = COUNT
    period: str = AS_OF
    filters: tuple[str, ...] = ()
    rows: Rows | None = None
    aggregate: Any = None
    list_url: Callable[[Query], str | None] | None = None
    total_key: str = ""  # the list page's ``data-total`` key holding this figure's sum
    denominator: Rows | None = None
    denominator_url: Callable[[Query], str | None] | None = None
    series: Series | None = None  # ``AS_OF`` figures only: the same numbers for many dates in one pass
    public: bool = False
    public_list: bool = False
    available: bool = True
    arrives_with: str | Promise = ""  # placeholders: the module that will bring the figure
    order: int = 100
    tone: str = ""
    app: str = ""

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def accepts(self, filters: Mapping[str, str]) -> bool:
        """Whether every active filter is one this figure can be broken down by."""
        return all(name in self.filters for name, value in filters.items() if value)


@dataclass(frozen=True)
class Figure:
    """A KPI evaluated for a query: its value (``None`` when not available) and its list."""

    kpi: KPI
    query: Query
    value: int | float | Decimal | None
    url: str | None = None
    base: int | None = None  # a ratio's denominator
    base_url: str | None = None
    count: int | None = None  # a ratio's numerator (the rows of its list)
    note: str | Promise = ""  # why there is no value

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def label(self) -> str | Promise:
        return self.kpi.name

    @property
    def available(self) -> bool:
        return self.value is not None


_REGISTRY: dict[str, KPI] = {}
_DISCOVERED = False


def register(kpi: KPI) -> KPI:
    """Declare ``kpi``; a real declaration replaces a placeholder of the same code (in either order)."""
    existing = _REGISTRY.get(kpi.code)
    if existing is not None:
        if existing.available and kpi.available and existing != kpi:
            raise ImproperlyConfigured(f"KPI {kpi.code!r} is declared twice ({existing.app}, {kpi.app})")
        if existing.available and not kpi.available:
            return existing
    _REGISTRY[kpi.code] = kpi
    return kpi


def registry() -> list[KPI]:
    """Every declared KPI, in display order (each installed app's ``kpis`` module imported once)."""
    global _DISCOVERED
    if not _DISCOVERED:
        autodiscover_modules("kpis")
        _DISCOVERED = True
    return sorted(_REGISTRY.values(), key=lambda kpi: (kpi.order, kpi.code))


def get(code: str) -> KPI:
    registry()
    return _REGISTRY[code]


def _aggregate(rows: QuerySet, expression: Any) -> int | float | Decimal:
    if expression is None:
        return rows.count()
    value = rows.order_by().aggregate(value=expression)["value"]
    return value if value is not None else 0


def count_rows(kpi: KPI, query: Query) -> Numbers:
    """The figure's value and a ratio's base counted from its ``rows`` (and ``denominator``): the
    definition, one aggregate query (two for a ratio), which a ``series`` must equal on every date."""
    value = _aggregate(kpi.rows(query), kpi.aggregate)  # type: ignore[misc]  # checked by evaluate
    if kpi.unit == RIAL:
        value = int(value)
    return value, (kpi.denominator(query).count() if kpi.denominator is not None else None)


def _cache_key(kpi: KPI, query: Query) -> tuple:
    """Keyed by whose view it is, so nobody reads a figure counted over rows they may not see."""
    return (
        kpi.code,
        caching.audience(query.user),
        query.period.end.isoformat(),
        query.period.kind,
        tuple(sorted((name, str(value)) for name, value in query.filters.items() if value)),
    )


def _numbers_of_series(kpi: KPI, queries: list[Query]) -> list[Numbers]:
    """Each query's numbers (same user and filters, other dates), counted once per data version
    (``core/caching.py``): the kept ones from the cache, the others by the KPI's ``series``, together
    (one query each, for a KPI without one)."""

    def count(missing: list[int]) -> list[Numbers]:
        if kpi.series is None:
            return [count_rows(kpi, queries[position]) for position in missing]
        counted = kpi.series(queries[missing[0]], [queries[position].on for position in missing])
        return [counted[queries[position].on] for position in missing]

    return caching.remember_many([_cache_key(kpi, query) for query in queries], count)


def _refusal(kpi: KPI, query: Query) -> Figure | None:
    """The figure without a value, when ``kpi`` has none for ``query`` (and why)."""
    if not kpi.available or kpi.rows is None:
        return Figure(kpi, query, None, note=_("Not yet available"))
    if not kpi.accepts(query.filters):
        return Figure(kpi, query, None, note=_("Not broken down by this filter"))
    if kpi.period == CURRENT and not query.is_today:
        return Figure(kpi, query, None, note=_("Only as registered today"))
    return None


def _figure(kpi: KPI, query: Query, numbers: Numbers) -> Figure:
    """The figure from its counted numbers, with its list (and a ratio's base list) where allowed."""
    value, base = numbers
    linkable = may_open_list(kpi, query.user)
    url = kpi.list_url(query) if kpi.list_url and linkable else None
    if base is None:
        return Figure(kpi, query, value, url)
    share = round(100 * value / base, 1) if base else 0
    base_url = kpi.denominator_url(query) if kpi.denominator_url and linkable else None
    return Figure(kpi, query, share, url, base=base, base_url=base_url, count=int(value))


def evaluate(kpi: KPI, query: Query) -> Figure:
    """The figure of ``kpi`` for ``query``: one aggregate query (two for a ratio), never a loop — or
    its ``series`` on that one date, whose history pass the page's other status figures then share."""
    return evaluate_many(kpi, [query])[0]


def evaluate_many(kpi: KPI, queries: list[Query]) -> list[Figure]:
    """``[evaluate(kpi, query) for query in queries]`` — the same figures; for a KPI that declares a
    ``series``, the queries that share one user and filters (a trend's months and years, a figure and
    the same date a year before) are counted together, in one pass over the history."""
    figures: list[Figure | None] = [_refusal(kpi, query) for query in queries]
    groups: dict[tuple, list[int]] = {}
    for position, query in enumerate(queries):
        if figures[position] is None:
            shared = (id(query.user), tuple(sorted(query.filters.items())))
            groups.setdefault(shared if kpi.series else (position,), []).append(position)
    for positions in groups.values():
        numbers = _numbers_of_series(kpi, [queries[position] for position in positions])
        for position, counted in zip(positions, numbers, strict=True):
            figures[position] = _figure(kpi, queries[position], counted)
    return figures  # type: ignore[return-value]  # every position is filled above


def is_staff_view(user: Any) -> bool:
    """The company's own view: its staff, or no user at all (reports made on the command line)."""
    return user is None or permissions.is_staff_member(user)


def visible(kpi: KPI, user: Any) -> bool:
    """Whether ``user`` may see the figure at all (public figures: anybody)."""
    return kpi.public or is_staff_view(user)


def may_open_list(kpi: KPI, user: Any) -> bool:
    return kpi.public_list or is_staff_view(user)


def figures(query: Query, codes: list[str] | None = None) -> list[Figure]:
    """The figures ``query.user`` may see (all of them, or those of ``codes`` in that order)."""
    kpis = [get(code) for code in codes] if codes is not None else registry()
    return [evaluate(kpi, query) for kpi in kpis if visible(kpi, query.user)]
