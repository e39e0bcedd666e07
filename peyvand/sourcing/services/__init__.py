"""Every write of the bridge: permission-checked, atomic, on the timeline, with notifications.

Two workflows have one rule book each: ``REQUEST_TRANSITIONS`` (enforced by ``move_request``) and
``LINKAGE_TRANSITIONS`` (enforced by ``move_linkage``).

The writes live by subject in this package's modules (requests; suggestions and gaps; invitations and
responses; the linkage ledger; and whom they tell); every name is importable from here."""

from .invitations import DECLINE_FIELDS, QUOTE_FIELDS, answer, invite, mark_opened, send_reminders
from .linkages import move_linkage, start_linkage
from .people import in_both_languages, members_of, notify_users, officers_of
from .requests import (
    REQUEST_EXTRAS,
    REQUEST_FIELDS,
    REQUEST_MOVE_ACTION,
    REQUEST_RELATIONS,
    can_move,
    consent_to_reveal,
    loosens,
    may_consent,
    move_request,
    save_request,
)
from .suggestions import (
    SUGGESTION_TIMEOUT,
    flag_gaps_for_unit,
    needed_capabilities,
    qualified,
    qualified_units,
    request_suggestions,
    review_gap,
    suggest,
)

__all__ = [
    "DECLINE_FIELDS",
    "QUOTE_FIELDS",
    "REQUEST_EXTRAS",
    "REQUEST_FIELDS",
    "REQUEST_MOVE_ACTION",
    "REQUEST_RELATIONS",
    "SUGGESTION_TIMEOUT",
    "answer",
    "can_move",
    "consent_to_reveal",
    "flag_gaps_for_unit",
    "in_both_languages",
    "invite",
    "loosens",
    "mark_opened",
    "may_consent",
    "members_of",
    "move_linkage",
    "move_request",
    "needed_capabilities",
    "notify_users",
    "officers_of",
    "qualified",
    "qualified_units",
    "request_suggestions",
    "review_gap",
    "save_request",
    "send_reminders",
    "start_linkage",
    "suggest",
]
