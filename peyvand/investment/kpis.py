"""The investment path's figures (see ``core/kpis.py``), each with the list that produces it.

"New investors" replaces the placeholder of ``insights/kpis.py``: investors whose first allocation
contract is dated inside the period — the investor list filtered by the same dates shows them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import DecimalField, ExpressionWrapper, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.jalali import jalali_text

from .choices import ApplicationState, KnowledgeLevel
from .models import AllocationContract, Application, Investor

IN_REVIEW = (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)


def _scoped(queryset: QuerySet, user) -> QuerySet:
    """Staff count their own company's rows; reports (no user) and the public count every row."""
    if user is not None and permissions.is_staff_member(user):
        return permissions.restrict(queryset, user, permissions.VIEW)
    return queryset


def new_investors(query: kpis.Query) -> QuerySet:
    return _scoped(Investor.objects.all(), query.user).first_contract_between(
        query.period.start, query.period.end
    )


def _period_params(query: kpis.Query, start: str, end: str) -> list[tuple[str, str]]:
    return [(start, jalali_text(query.period.start)), (end, jalali_text(query.period.end))]


def _url(name: str, params: list[tuple[str, str]]) -> str:
    return reverse(name) + "?" + urlencode(params)


def contracts_signed(query: kpis.Query) -> QuerySet:
    return _scoped(AllocationContract.objects.all(), query.user).filter(
        signed_on__gte=query.period.start, signed_on__lte=query.period.end
    )


def _contract_url(query: kpis.Query) -> str:
    return _url("investment:contract_list", _period_params(query, "signed_from", "signed_to"))


kpis.register(
    kpis.KPI(
        code="new_investors",
        name=_("New investors"),
        definition=_("Investors whose first land-allocation contract falls inside the period."),
        period=kpis.WINDOW,
        rows=new_investors,
        list_url=lambda query: _url(
            "investment:investor_list", _period_params(query, "first_contract_from", "first_contract_to")
        ),
        public=True,
        order=25,
        tone="success",
        app="investment",
    )
)

kpis.register(
    kpis.KPI(
        code="new_investors_knowledge_based",
        name=_("New investors that are knowledge-based"),
        definition=_(
            "Share of the new investors of the period that hold a knowledge-based certificate of any level."
        ),
        unit=kpis.PERCENT,
        period=kpis.WINDOW,
        rows=lambda query: new_investors(query).exclude(knowledge_level=KnowledgeLevel.NONE),
        list_url=lambda query: _url(
            "investment:investor_list",
            [*_period_params(query, "first_contract_from", "first_contract_to"), ("knowledge_based", "true")],
        ),
        denominator=new_investors,
        denominator_url=lambda query: _url(
            "investment:investor_list", _period_params(query, "first_contract_from", "first_contract_to")
        ),
        order=61,
        app="investment",
    )
)

kpis.register(
    kpis.KPI(
        code="applications_in_review",
        name=_("Applications in review"),
        definition=_("Investment applications submitted or under review, as registered today."),
        period=kpis.CURRENT,
        rows=lambda query: _scoped(Application.objects.filter(state__in=IN_REVIEW), query.user),
        list_url=lambda query: _url("investment:application_list", [("state", state) for state in IN_REVIEW]),
        order=62,
        app="investment",
    )
)

kpis.register(
    kpis.KPI(
        code="land_allocated_ha",
        name=_("Land allocated (ha)"),
        definition=_("Hectares of the plots of the allocation contracts signed inside the period."),
        unit="ha",
        period=kpis.WINDOW,
        rows=contracts_signed,
        aggregate=ExpressionWrapper(
            Sum("area_m2") / 10000, output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
        list_url=_contract_url,
        total_key="area_ha",
        order=63,
        app="investment",
    )
)

kpis.register(
    kpis.KPI(
        code="planned_jobs",
        name=_("Jobs planned on allocated land"),
        definition=_(
            "Jobs planned by the applications whose allocation contract was signed inside the period."
        ),
        period=kpis.WINDOW,
        rows=contracts_signed,
        aggregate=Sum("application__jobs_planned"),
        list_url=_contract_url,
        total_key="jobs",
        order=64,
        app="investment",
    )
)

kpis.register(
    kpis.KPI(
        code="planned_investment",
        name=_("Investment planned on allocated land"),
        definition=_(
            "Investment (rial) planned by the applications whose allocation contract was signed inside the period."
        ),
        unit=kpis.RIAL,
        period=kpis.WINDOW,
        rows=contracts_signed,
        aggregate=Sum("application__investment_rial"),
        list_url=_contract_url,
        total_key="investment_rial",
        order=65,
        app="investment",
    )
)
