"""Which estate company a person acts for — asked in one place by pages, forms, services, imports and commands.

The rule: a company the person chose (if they may act for it); else their own company (the first, when
they work for several and did not choose); else, for a superuser or a system run, the only active company
there is. Unit representatives, buyers, investors and anonymous visitors act for no estate company.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from peyvand.core import permissions

from .choices import OrganisationKind
from .models import Organisation


def acting_companies(user: Any) -> QuerySet[Organisation]:
    """The active estate companies ``user`` may act for.

    Their own (active staff memberships); every one for a superuser, and for a system run (``user`` is
    ``None``: a command or a job started without a person).
    """
    companies = Organisation.objects.filter(kind=OrganisationKind.ESTATE_COMPANY, is_active=True)
    if user is None or (getattr(user, "is_superuser", False) and getattr(user, "is_active", False)):
        return companies
    return companies.filter(pk__in=permissions.organisations(user, OrganisationKind.ESTATE_COMPANY))


def acting_company(user: Any, chosen: Organisation | int | str | None = None) -> Organisation | None:
    """The one estate company ``user`` acts for, or ``None`` when there is none to act for.

    ``chosen`` (an organisation or its id) is honoured when ``user`` may act for it and refused with
    ``PermissionDenied`` otherwise — choosing never widens what a person may do.
    """
    companies = acting_companies(user)
    if chosen not in (None, ""):
        chosen_pk = chosen.pk if isinstance(chosen, Organisation) else chosen
        found = companies.filter(pk=chosen_pk).first() if str(chosen_pk).isdigit() else None
        if found is None:
            raise PermissionDenied
        return found
    own = permissions.organisations(user, OrganisationKind.ESTATE_COMPANY)
    if own:
        return companies.filter(pk=own[0]).first()
    if user is not None and not getattr(user, "is_superuser", False):
        return None
    only = list(companies.order_by("pk")[:2])
    return only[0] if len(only) == 1 else None
