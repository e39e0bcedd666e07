"""The one permission gate: who may do what, on which kind of object, within which scope.

Rights come from ``Membership(user, organisation, role)``. ``PERMISSIONS`` below is the only table
of who may do what; every view, form, template, API view and command asks ``can()`` or
``restrict()`` — nothing else decides.

Scopes follow from the organisation kind of the membership:

* ``national_body`` — every record of every estate company;
* ``estate_company`` — records of the company's own estates (``Gate.company`` path);
* ``production_unit``, ``buyer``, ``investor`` — records owned by the organisation (``Gate.owner``);
* everybody, anonymous included — ``view_public`` on rows matching ``Gate.public`` (public fields only).

A model joins the gate by declaring ``gate = Gate(kind=..., company=..., owner=..., public=...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

# --- Actions --------------------------------------------------------------------------------------
VIEW = "view"  # the full record
VIEW_PUBLIC = "view_public"  # the public fields of a public record
ADD = "add"
CHANGE = "change"
DELETE = "delete"
CHANGE_STATUS = "change_status"  # a unit's life cycle: staff only
REVIEW = "review"  # approve or reject a claim / publish a request
INVITE = "invite"  # invite people into an organisation
IMPORT = "import"
EXPORT = "export"
MERGE = "merge"
RESPOND = "respond"  # a supplier answers an invitation (quote / decline)
BROKER = "broker"  # an officer invites suppliers, starts and moves linkages
SUBMIT = "submit"  # a buyer submits its own request for review

_READ = frozenset({VIEW, EXPORT})
_EDIT = _READ | {ADD, CHANGE}


def _actions(*actions: str) -> frozenset[str]:
    """The actions one cell of the table grants."""
    return frozenset(actions)


# --- The table: (organisation kind, role) -> {object kind: actions} -------------------------------
_STAFF_READ = {
    "estate": _READ,
    "plot": _READ,
    "unit": _READ,
    "organisation": _READ,
    "membership": _READ,
    "claim": _READ,
    "import_batch": _READ,
    "sourcing_request": _READ,
    "match": _READ,
    "invitation_response": _READ,
    "linkage": _READ,
    "gap_ticket": _READ,
    "revival_case": _READ,
    "unit_risk": _READ,
    "investor": _READ,
    "investment_application": _READ,
    "allocation": _READ,
    "export_record": _READ,
    "buyer_input": _READ,
}
# The investment path (investors, applications, allocation contracts): the company's reviewers.
_INVESTMENT_REVIEW = {
    "investor": _EDIT | {REVIEW, IMPORT},
    "investment_application": _EDIT | {REVIEW, IMPORT, SUBMIT},  # staff also file paper applications
    "allocation": _EDIT | {REVIEW, IMPORT},
}
PERMISSIONS: dict[tuple[str, str], dict[str, frozenset[str]]] = {
    ("national_body", "manager"): dict.fromkeys(_STAFF_READ, _READ),
    ("national_body", "viewer"): dict.fromkeys(_STAFF_READ, _READ),
    ("estate_company", "manager"): {
        "estate": _EDIT | {DELETE, IMPORT},
        "plot": _EDIT | {DELETE, IMPORT},
        "unit": _EDIT | {DELETE, CHANGE_STATUS, IMPORT, MERGE},
        "organisation": _EDIT | {INVITE},
        "membership": _EDIT | {DELETE},
        "claim": _READ | {REVIEW},
        "import_batch": _READ | {ADD},
        "sourcing_request": _EDIT | {REVIEW, BROKER},
        "match": _READ,
        "invitation_response": _READ | {BROKER},
        "linkage": _EDIT | {BROKER},
        "gap_ticket": _EDIT,
        "revival_case": _EDIT,
        "unit_risk": _READ,
        **_INVESTMENT_REVIEW,
        "export_record": _EDIT | {DELETE, IMPORT},
        "buyer_input": _EDIT | {DELETE, BROKER},
    },
    ("estate_company", "linkage_officer"): {
        "estate": _READ,
        "plot": _READ,
        "unit": _READ | {CHANGE},
        "organisation": _READ | {ADD, INVITE},
        "membership": _READ,
        "claim": _READ | {REVIEW},
        "import_batch": _READ,
        "sourcing_request": _EDIT | {REVIEW, BROKER},
        "match": _READ,
        "invitation_response": _READ | {BROKER},
        "linkage": _EDIT | {BROKER},
        "gap_ticket": _EDIT,
        "revival_case": _EDIT,
        "unit_risk": _READ,
        "investor": _READ,
        "investment_application": _READ,
        "allocation": _READ,
        "export_record": _EDIT | {DELETE},
        "buyer_input": _EDIT | {DELETE, BROKER},
    },
    ("estate_company", "investment_expert"): {
        "estate": _READ | {CHANGE},
        "plot": _EDIT | {IMPORT},
        "unit": _READ | {CHANGE, CHANGE_STATUS, IMPORT},
        "organisation": _READ,
        "claim": _READ,
        "import_batch": _READ | {ADD},
        "sourcing_request": _READ,
        "linkage": _READ,
        "gap_ticket": _READ,
        "revival_case": _EDIT,
        "unit_risk": _READ,
        **_INVESTMENT_REVIEW,
        "export_record": _READ,
        "buyer_input": _READ,
    },
    ("estate_company", "environment_expert"): {
        "estate": _READ,
        "plot": _READ,
        "unit": _READ,
        "organisation": _READ,
        "sourcing_request": _READ,
        "gap_ticket": _READ,
        "investment_application": _READ,
    },
    ("estate_company", "viewer"): dict(_STAFF_READ),
    # A unit's members edit their own profile and products, never the life-cycle status.
    ("production_unit", "admin"): {
        "unit": _actions(VIEW, CHANGE),
        "organisation": _actions(VIEW, INVITE),
        "membership": _actions(VIEW, ADD, DELETE),
        "invitation_response": _actions(VIEW, RESPOND),
        "sourcing_request": _actions(VIEW),
        "linkage": _actions(VIEW),
        "revival_case": _actions(VIEW, ADD),
        "export_record": _actions(VIEW, ADD, CHANGE),  # its own statements only (trade.services)
    },
    ("production_unit", "editor"): {
        "unit": _actions(VIEW, CHANGE),
        "organisation": _actions(VIEW),
        "invitation_response": _actions(VIEW, RESPOND),
        "sourcing_request": _actions(VIEW),
        "linkage": _actions(VIEW),
        "revival_case": _actions(VIEW, ADD),
        "export_record": _actions(VIEW, ADD, CHANGE),  # its own statements only (trade.services)
    },
    ("production_unit", "viewer"): {
        "unit": _actions(VIEW),
        "organisation": _actions(VIEW),
        "invitation_response": _actions(VIEW),
        "sourcing_request": _actions(VIEW),
        "linkage": _actions(VIEW),
        "revival_case": _actions(VIEW),
        "export_record": _actions(VIEW),
    },
    ("buyer", "admin"): {
        "organisation": _actions(VIEW, INVITE),
        "membership": _actions(VIEW, ADD, DELETE),
        "sourcing_request": _actions(VIEW, ADD, CHANGE, SUBMIT, EXPORT),
        "invitation_response": _actions(VIEW),
        "linkage": _actions(VIEW),
        "export_record": _actions(VIEW),
        "buyer_input": _actions(VIEW, ADD, CHANGE, EXPORT),
    },
    ("buyer", "editor"): {
        "organisation": _actions(VIEW),
        "sourcing_request": _actions(VIEW, ADD, CHANGE, SUBMIT),
        "invitation_response": _actions(VIEW),
        "linkage": _actions(VIEW),
        "export_record": _actions(VIEW),
        "buyer_input": _actions(VIEW, ADD, CHANGE),
    },
    ("buyer", "viewer"): {
        "organisation": _actions(VIEW),
        "sourcing_request": _actions(VIEW),
        "invitation_response": _actions(VIEW),
        "linkage": _actions(VIEW),
        "export_record": _actions(VIEW),
        "buyer_input": _actions(VIEW),
    },
    # An investor sees and edits only its own file, applies and submits; staff decide.
    ("investor", "admin"): {
        "organisation": _actions(VIEW, CHANGE, INVITE),
        "membership": _actions(VIEW, ADD, DELETE),
        "investor": _actions(VIEW, ADD, CHANGE),
        "investment_application": _actions(VIEW, ADD, CHANGE, SUBMIT, EXPORT),
        "allocation": _actions(VIEW, EXPORT),
    },
    ("investor", "editor"): {
        "organisation": _actions(VIEW, CHANGE),
        "investor": _actions(VIEW, CHANGE),
        "investment_application": _actions(VIEW, ADD, CHANGE, SUBMIT),
        "allocation": _actions(VIEW),
    },
    ("investor", "viewer"): {
        "organisation": _actions(VIEW),
        "investor": _actions(VIEW),
        "investment_application": _actions(VIEW),
        "allocation": _actions(VIEW),
    },
}

# Green estates (issue 14): treatment plants, discharge limits, effluent tests and compliance cases,
# resource listings (haves/wants) and the symbiosis exchanges officers broker.
_GREEN_KINDS = (
    "treatment_plant",
    "discharge_limit",
    "effluent_test",
    "compliance_case",
    "resource_listing",
    "symbiosis_link",
)
_GREEN_STAFF_EDIT = {
    "treatment_plant": _EDIT,
    "discharge_limit": _READ,
    "effluent_test": _EDIT,
    "compliance_case": _EDIT,
    "resource_listing": _EDIT,
    "symbiosis_link": _EDIT | {BROKER},
}
_GREEN: dict[tuple[str, str], dict[str, frozenset[str]]] = {
    ("national_body", "manager"): dict.fromkeys(_GREEN_KINDS, _READ),
    ("national_body", "viewer"): dict.fromkeys(_GREEN_KINDS, _READ),
    ("estate_company", "manager"): {**_GREEN_STAFF_EDIT, "discharge_limit": _EDIT | {DELETE}},
    ("estate_company", "environment_expert"): {**_GREEN_STAFF_EDIT, "discharge_limit": _EDIT | {DELETE}},
    ("estate_company", "linkage_officer"): _GREEN_STAFF_EDIT,
    ("estate_company", "investment_expert"): dict.fromkeys(_GREEN_KINDS, _READ),
    ("estate_company", "viewer"): dict.fromkeys(_GREEN_KINDS, _READ),
    # A unit sees its own tests and cases, and lists its own haves and wants.
    ("production_unit", "admin"): {
        "effluent_test": _actions(VIEW),
        "compliance_case": _actions(VIEW),
        "resource_listing": _actions(VIEW, ADD, CHANGE),
        "symbiosis_link": _actions(VIEW),
    },
    ("production_unit", "editor"): {
        "effluent_test": _actions(VIEW),
        "compliance_case": _actions(VIEW),
        "resource_listing": _actions(VIEW, ADD, CHANGE),
        "symbiosis_link": _actions(VIEW),
    },
    ("production_unit", "viewer"): {
        "effluent_test": _actions(VIEW),
        "compliance_case": _actions(VIEW),
        "resource_listing": _actions(VIEW),
        "symbiosis_link": _actions(VIEW),
    },
}
for _role, _rights in _GREEN.items():
    PERMISSIONS[_role] = {**PERMISSIONS[_role], **_rights}

# Kinds whose public rows anybody (anonymous included) may see through their public fields.
PUBLIC_KINDS = frozenset({"estate", "unit", "sourcing_request"})
STAFF_KINDS = frozenset({"estate_company", "national_body"})


@dataclass(frozen=True)
class Gate:
    """How a model's rows relate to scopes. Paths are ORM lookups to an ``Organisation`` id."""

    kind: str
    company: tuple[str, ...] = ()  # path(s) to the owning estate company
    # path(s) to the owning unit / buyer / investor organisation; a dict gives each organisation kind its
    # own paths (a buyer's rights must not flow through a path meant for the invited unit)
    owner: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    public: Q | None = None  # rows anybody may see (public fields only)
    personal: tuple[str, ...] = ()  # path(s) to a user who owns the row personally (e.g. a claimant)
    personal_actions: frozenset[str] = frozenset({VIEW})


def _paths(gate: Gate, org_kind: str) -> tuple[str, ...]:
    """The lookup paths that tie a row to an organisation of ``org_kind``."""
    if org_kind == "estate_company":
        return gate.company
    if isinstance(gate.owner, dict):
        return gate.owner.get(org_kind, ())
    return gate.owner


def gate_of(model: type[models.Model] | models.Model) -> Gate:
    gate = getattr(model, "gate", None)
    if not isinstance(gate, Gate):
        raise TypeError(f"{model!r} does not declare a permission gate")
    return gate


# --- Membership lookups (cached per user object for the request) ---------------------------------
def memberships(user: Any) -> list[tuple[str, str, int]]:
    """(organisation kind, role, organisation id) for each active membership of ``user``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_peyvand_memberships", None)
    if cached is None:
        cached = [
            (kind, role, org_id)
            for kind, role, org_id in user.memberships.filter(organisation__is_active=True).values_list(
                "organisation__kind", "role", "organisation_id"
            )
        ]
        user._peyvand_memberships = cached
    return cached


def forget_memberships(user: Any) -> None:
    if hasattr(user, "_peyvand_memberships"):
        del user._peyvand_memberships


def allowed(org_kind: str, role: str, kind: str, action: str) -> bool:
    return action in PERMISSIONS.get((org_kind, role), {}).get(kind, frozenset())


def _grants(user: Any, kind: str, action: str) -> Iterable[tuple[str, int]]:
    for org_kind, role, org_id in memberships(user):
        if allowed(org_kind, role, kind, action):
            yield org_kind, org_id


def is_staff_member(user: Any) -> bool:
    """Whether the user belongs to an estate company or national body (or is a superuser)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(org_kind in STAFF_KINDS for org_kind, _role, _org in memberships(user))


def has_role(user: Any, *roles: str, org_kinds: Iterable[str] = STAFF_KINDS) -> bool:
    kinds = set(org_kinds)
    return any(kind in kinds and role in roles for kind, role, _org in memberships(user))


def organisations(user: Any, *kinds: str) -> list[int]:
    return [org_id for org_kind, _role, org_id in memberships(user) if not kinds or org_kind in kinds]


def _scope_q(gate: Gate, user: Any, action: str) -> Q | None:
    """The rows ``user`` may act on; ``None`` means every row."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    condition = Q(pk__in=[])
    for org_kind, org_id in _grants(user, gate.kind, action):
        if org_kind == "national_body":
            return None
        paths = _paths(gate, org_kind)
        for path in paths:
            condition |= Q(**{path: org_id})
    if action in gate.personal_actions and getattr(user, "is_authenticated", False):
        for path in gate.personal:
            condition |= Q(**{path: user.pk})
    if action == VIEW_PUBLIC and gate.kind in PUBLIC_KINDS and gate.public is not None:
        condition |= gate.public
    if action == VIEW_PUBLIC:
        # Whoever may see the full record may see its public face too.
        full = _scope_q(gate, user, VIEW)
        if full is None:
            return None
        condition |= full
    return condition


def restrict[M: models.Model](
    queryset: models.QuerySet[M], user: Any, action: str = VIEW
) -> models.QuerySet[M]:
    """``queryset`` narrowed to the rows ``user`` may ``action``."""
    condition = _scope_q(gate_of(queryset.model), user, action)
    if condition is None:
        return queryset
    if _follows_single_rows(queryset.model, condition):
        # Only many-to-one hops (a unit's estate's company): a join cannot repeat a row, and counting
        # 100,000 units joins 1,000 estates instead of matching them against a 100,000-id subquery.
        return queryset.filter(condition)
    # A subquery rather than joins + DISTINCT: aggregations and annotations on the result stay correct.
    allowed_rows = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=allowed_rows)


def _follows_single_rows(model: type[models.Model], condition: Q) -> bool:
    """Whether every lookup of ``condition`` goes from ``model`` through forward foreign keys and
    one-to-one links only (never a reverse foreign key or a many-to-many: those would repeat rows)."""
    for child in condition.children:
        if isinstance(child, Q):
            if not _follows_single_rows(model, child):
                return False
            continue
        current: type[models.Model] | None = model
        lookup: str = child[0]  # type: ignore[index]  # a (lookup, value) pair of Q.children
        for part in lookup.split("__"):
            if part == "pk":
                break
            if current is None:
                break
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break  # a lookup (in, isnull…): the path ended
            if field.many_to_many or field.one_to_many:
                return False
            if not field.is_relation:
                break
            current = field.related_model
    return True


def _resolve(obj: models.Model, path: str) -> Any:
    """Follow an ORM lookup path on an instance; the last hop yields the foreign-key id."""
    parts = path.split("__")
    value: Any = obj
    for index, part in enumerate(parts):
        if value is None:
            return None
        if index == len(parts) - 1 and hasattr(value, part + "_id"):
            return getattr(value, part + "_id")
        value = getattr(value, part, None)
        if isinstance(value, models.Manager):
            rest = "__".join(parts[index + 1 :]) or "pk"
            return list(value.values_list(rest, flat=True))
    return value


def can(user: Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """Whether ``user`` may ``action`` on ``obj`` (an instance, or a model class for 'any such row')."""
    gate = gate_of(obj)
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    if isinstance(obj, type):
        if action == VIEW_PUBLIC and gate.kind in PUBLIC_KINDS:
            return True
        return any(True for _ in _grants(user, gate.kind, action))
    for org_kind, org_id in _grants(user, gate.kind, action):
        if org_kind == "national_body":
            return True
        paths = _paths(gate, org_kind)
        for path in paths:
            value = _resolve(obj, path)
            if value == org_id or (isinstance(value, list) and org_id in value):
                return True
    signed_in = getattr(user, "is_authenticated", False)
    if (
        action in gate.personal_actions
        and signed_in
        and any(_resolve(obj, path) == user.pk for path in gate.personal)
    ):
        return True
    if action == VIEW_PUBLIC:
        return _is_public(gate, obj) or can(user, VIEW, obj)
    return False


def _is_public(gate: Gate, obj: models.Model) -> bool:
    if gate.kind not in PUBLIC_KINDS or gate.public is None or obj.pk is None:
        return False
    return type(obj)._default_manager.filter(gate.public, pk=obj.pk).exists()


def get_object_for_user[M: models.Model](
    queryset: models.QuerySet[M], user: Any, action: str = VIEW, **lookup: Any
) -> M:
    """The object, or 404 for outsiders and 403 for those who may see it but not ``action`` it."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if can(user, action, obj):
        return obj
    if action not in (VIEW, VIEW_PUBLIC) and (can(user, VIEW, obj) or can(user, VIEW_PUBLIC, obj)):
        raise PermissionDenied
    if action == VIEW and can(user, VIEW_PUBLIC, obj):
        raise PermissionDenied
    raise Http404


def require(user: Any, action: str, obj: models.Model | type[models.Model]) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj)`` — for services and class-level checks."""
    if not can(user, action, obj):
        raise PermissionDenied
