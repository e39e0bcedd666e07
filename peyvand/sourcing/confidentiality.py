"""Who may know whom on the bridge — the one confidentiality rule every surface asks.

VOCABULARY.md: an ``anonymous_buyer`` request shows its buyer to suppliers only after the buyer consents
(and the buyer sees its suppliers' names only then too). The buyer's own people and the staff of the
estate company brokering the request (and national bodies) always know the buyer. Being allowed to *see*
a request (an invited supplier is) is not being allowed to know *who filed it*.

Pages, fragments, exports, notifications, e-mails and the ledger ask ``buyer_visible`` (one row) or
``with_buyer_visible`` (a queryset: computed by the database, so a list never asks per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from peyvand.core import permissions

from .choices import Confidentiality

ANNOTATION = "buyer_visible"


@dataclass(frozen=True)
class _Knowers:
    """Whose buyers ``user`` knows whatever the confidentiality: every one, or those of these ids."""

    everyone: bool
    company_ids: frozenset[int]
    buyer_ids: frozenset[int]


def _knowers(user: Any) -> _Knowers:
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return _Knowers(True, frozenset(), frozenset())
    companies, buyers = set(), set()
    for org_kind, role, org_id in permissions.memberships(user):
        if not permissions.allowed(org_kind, role, "sourcing_request", permissions.VIEW):
            continue
        if org_kind == "national_body":
            return _Knowers(True, frozenset(), frozenset())
        if org_kind == "estate_company":
            companies.add(org_id)
        elif org_kind == "buyer":
            buyers.add(org_id)
    return _Knowers(False, frozenset(companies), frozenset(buyers))


def revealed_q(prefix: str = "") -> Q:
    """Requests whose buyer anybody who sees them may know (the model's ``buyer_revealed``)."""
    return ~Q(**{f"{prefix}confidentiality": Confidentiality.ANONYMOUS_BUYER}) | Q(
        **{f"{prefix}buyer_consented": True}
    )


def buyer_visible_q(user: Any, prefix: str = "") -> Q | None:
    """Rows (requests, or rows reaching one through ``prefix``) whose buyer ``user`` may know;
    ``None`` means every row."""
    knowers = _knowers(user)
    if knowers.everyone:
        return None
    condition = revealed_q(prefix)
    if knowers.company_ids:
        condition |= Q(**{f"{prefix}company_id__in": sorted(knowers.company_ids)})
    if knowers.buyer_ids:
        condition |= Q(**{f"{prefix}buyer_id__in": sorted(knowers.buyer_ids)})
    return condition


def with_buyer_visible(queryset: QuerySet, user: Any, prefix: str = "") -> QuerySet:
    """``queryset`` with a ``buyer_visible`` flag per row, computed in the same query."""
    condition = buyer_visible_q(user, prefix)
    if condition is None:
        condition = Q(pk__isnull=False)
    return queryset.annotate(**{ANNOTATION: ExpressionWrapper(condition, output_field=BooleanField())})


def buyer_visible(user: Any, request: Any) -> bool:
    """Whether ``user`` may know who filed ``request`` (a ``SourcingRequest``). No query: the row's own
    flag when the list computed it, else its fields and the user's (cached) memberships."""
    flag = getattr(request, ANNOTATION, None)
    if flag is not None:
        return bool(flag)
    if request.buyer_revealed:
        return True
    knowers = _knowers(user)
    return (
        knowers.everyone or request.company_id in knowers.company_ids or request.buyer_id in knowers.buyer_ids
    )


def linkage_buyer_visible_q(user: Any) -> Q | None:
    """Linkages whose buyer ``user`` may know: direct ones (no request), else as their request says."""
    knowers = _knowers(user)
    if knowers.everyone:
        return None
    condition = Q(request__isnull=True) | revealed_q("request__")
    if knowers.company_ids:
        condition |= Q(company_id__in=sorted(knowers.company_ids))
    if knowers.buyer_ids:
        condition |= Q(buyer_id__in=sorted(knowers.buyer_ids))
    return condition


def with_linkage_buyer_visible(queryset: QuerySet, user: Any) -> QuerySet:
    condition = linkage_buyer_visible_q(user)
    if condition is None:
        condition = Q(pk__isnull=False)
    return queryset.annotate(**{ANNOTATION: ExpressionWrapper(condition, output_field=BooleanField())})


def linkage_buyer_visible(user: Any, linkage: Any) -> bool:
    """Whether ``user`` may know the buyer of ``linkage`` (the same rule, through its request)."""
    flag = getattr(linkage, ANNOTATION, None)
    if flag is not None:
        return bool(flag)
    if linkage.request_id is None:
        return True
    knowers = _knowers(user)
    if knowers.everyone or linkage.company_id in knowers.company_ids or linkage.buyer_id in knowers.buyer_ids:
        return True
    return linkage.request.buyer_revealed


def buyer_name(user: Any, request: Any, withheld: str | None = None) -> str:
    """The buyer's name for ``user``, or the words that say it is withheld."""
    if buyer_visible(user, request):
        return request.buyer.display_name
    return withheld if withheld is not None else _("withheld until the buyer consents")


def suppliers_visible_to_buyer(request: Any) -> bool:
    """Whether the buyer may know its suppliers' names (both identities are revealed together)."""
    return request.buyer_revealed


def supplier_label(user: Any, request: Any, unit: Any, number: int) -> str:
    """A supplier's name for ``user``; the buyer of a still-anonymous request sees "Supplier N"."""
    from peyvand.core.jalali import localize_digits

    buyer_side = request.buyer_id in permissions.organisations(user, "buyer") and not (
        permissions.is_staff_member(user)
    )
    if buyer_side and not suppliers_visible_to_buyer(request):
        return _("Supplier %(number)s") % {"number": localize_digits(number)}
    return unit.display_name
