"""Codes of the bridge (VOCABULARY.md): request states, confidentiality, invitations, the linkage ledger."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours(
    {
        "draft": "secondary",
        "submitted": "warning",
        "published": "success",
        "closed": "dark",
        "cancelled": "danger",
    }
)
class RequestState(BadgeColour, models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# The one table of request moves; who may make each move is in REQUEST_MOVE_ACTION.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestState.DRAFT: frozenset({RequestState.SUBMITTED, RequestState.CANCELLED}),
    RequestState.SUBMITTED: frozenset({RequestState.PUBLISHED, RequestState.DRAFT, RequestState.CANCELLED}),
    RequestState.PUBLISHED: frozenset({RequestState.CLOSED, RequestState.CANCELLED}),
    RequestState.CLOSED: frozenset(),
    RequestState.CANCELLED: frozenset(),
}


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("public")
    ANONYMOUS_BUYER = "anonymous_buyer", _("buyer anonymous until it consents")
    INVITED_ONLY = "invited_only", _("invited suppliers only")


class Requirement(models.TextChoices):
    MUST_HAVE = "must_have", _("must have")
    PREFERRED = "preferred", _("preferred")


@badge_colours(
    {
        "invited": "secondary",
        "opened": "info",
        "quoted": "success",
        "declined": "danger",
        "expired": "dark",
    }
)
class InvitationState(BadgeColour, models.TextChoices):
    INVITED = "invited", _("invited")
    OPENED = "opened", _("opened")
    QUOTED = "quoted", _("quoted")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("silent (deadline passed)")


ANSWERED = (InvitationState.QUOTED, InvitationState.DECLINED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("no free capacity")
    NO_CAPABILITY = "no_capability", _("we do not make this")
    DEADLINE = "deadline", _("the delivery window is too short")
    PRICE = "price", _("the target price is too low")
    CERTIFICATION = "certification", _("we lack a required certification")
    RAW_MATERIAL = "raw_material", _("raw material not available")
    OTHER = "other", _("other (see note)")


@badge_colours(
    {
        "introduced": "secondary",
        "meeting_held": "info",
        "quotation_accepted": "primary",
        "contract_signed": "success",
        "first_delivery": "success",
        "repeat_order": "success",
        "lost": "danger",
    }
)
class LinkageStage(BadgeColour, models.TextChoices):
    INTRODUCED = "introduced", _("introduced")
    MEETING_HELD = "meeting_held", _("meeting held")
    QUOTATION_ACCEPTED = "quotation_accepted", _("quotation accepted")
    CONTRACT_SIGNED = "contract_signed", _("contract signed")
    FIRST_DELIVERY = "first_delivery", _("first delivery")
    REPEAT_ORDER = "repeat_order", _("repeat order")
    LOST = "lost", _("lost")


# The one table of ledger moves: forward one stage (a meeting may be skipped) or lost.
LINKAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    LinkageStage.INTRODUCED: frozenset(
        {LinkageStage.MEETING_HELD, LinkageStage.QUOTATION_ACCEPTED, LinkageStage.LOST}
    ),
    LinkageStage.MEETING_HELD: frozenset({LinkageStage.QUOTATION_ACCEPTED, LinkageStage.LOST}),
    LinkageStage.QUOTATION_ACCEPTED: frozenset({LinkageStage.CONTRACT_SIGNED, LinkageStage.LOST}),
    LinkageStage.CONTRACT_SIGNED: frozenset({LinkageStage.FIRST_DELIVERY, LinkageStage.LOST}),
    LinkageStage.FIRST_DELIVERY: frozenset({LinkageStage.REPEAT_ORDER, LinkageStage.LOST}),
    LinkageStage.REPEAT_ORDER: frozenset({LinkageStage.REPEAT_ORDER, LinkageStage.LOST}),
    LinkageStage.LOST: frozenset(),
}
OPEN_STAGES = tuple(stage for stage in LinkageStage.values if stage != LinkageStage.LOST)
CONTRACTED_STAGES = (LinkageStage.CONTRACT_SIGNED, LinkageStage.FIRST_DELIVERY, LinkageStage.REPEAT_ORDER)
# What each stage may record (VOCABULARY.md: values are recorded at the stage that knows them).
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    LinkageStage.INTRODUCED: (),
    LinkageStage.MEETING_HELD: (),
    LinkageStage.QUOTATION_ACCEPTED: ("quantity", "contract_value_rial", "contract_value_usd"),
    LinkageStage.CONTRACT_SIGNED: (
        "contract_value_rial",
        "contract_value_usd",
        "quantity",
        "local_content_share",
        "export_share",
        "jobs_created",
    ),
    LinkageStage.FIRST_DELIVERY: ("quantity", "jobs_created", "export_share"),
    LinkageStage.REPEAT_ORDER: ("contract_value_rial", "contract_value_usd", "quantity", "jobs_created"),
    LinkageStage.LOST: (),
}


class LostReason(models.TextChoices):
    PRICE = "price", _("price not agreed")
    QUALITY = "quality", _("quality did not meet the buyer's standard")
    CAPACITY = "capacity", _("supplier lacked capacity")
    BUYER_CANCELLED = "buyer_cancelled", _("buyer cancelled the need")
    DELIVERY = "delivery", _("delivery terms not met")
    FINANCE = "finance", _("payment or financing terms")
    OTHER = "other", _("other (see note)")


@badge_colours({"open": "danger", "rematch": "warning", "resolved": "success"})
class GapState(BadgeColour, models.TextChoices):
    OPEN = "open", _("open")
    REMATCH = "rematch", _("new supplier to check")
    RESOLVED = "resolved", _("resolved")


class SuggestionState(models.TextChoices):
    """Where the ranking of a request's suppliers stands (it runs as a background job)."""

    NONE = "none", _("not suggested yet")
    PENDING = "pending", _("waiting for the job queue")
    RUNNING = "running", _("ranking the suppliers")
    READY = "ready", _("suggested")
    FAILED = "failed", _("failed")


PREPARING_SUGGESTIONS = (SuggestionState.PENDING, SuggestionState.RUNNING)


class IndexBuildState(models.TextChoices):
    PENDING = "pending", _("waiting for the job queue")
    RUNNING = "running", _("being built")
    DONE = "done", _("published")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("superseded by a newer build")


class IndexBuildStage(models.TextChoices):
    """The steps of a matching-index rebuild, in order (its progress bar names them)."""

    READING = "reading", _("reading the unit profiles")
    INDEXING = "indexing", _("analysing and indexing the texts")
    EMBEDDING = "embedding", _("computing the semantic vectors")
    PUBLISHING = "publishing", _("publishing the new index")
