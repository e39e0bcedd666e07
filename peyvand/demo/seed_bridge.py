"""The demo bridge: Gilan's large buyers, ~65 requests in every state, suggestions, invitations and
answers, linkages at every stage of the ledger, and the gaps that follow — so a newcomer sees the whole
flow at once. Deterministic (seeded RNG); dates relative to the day it runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from peyvand.accounts.models import Membership, Organisation
from peyvand.core.audit import log_event
from peyvand.estates.models import County
from peyvand.sourcing import services
from peyvand.sourcing.choices import GapState, InvitationState, LinkageStage, RequestState
from peyvand.sourcing.models import (
    GapTicket,
    Linkage,
    LinkageStep,
    RequestCertification,
    SourcingRequest,
    SupplierInvitation,
)
from peyvand.taxonomy.services import suggested_codes
from peyvand.units.models import Certification

from .catalog.buyers import BUYERS

# How the ~65 requests spread over the states (the rest are published).
STATE_PLAN = (
    [RequestState.DRAFT] * 5
    + [RequestState.SUBMITTED] * 6
    + [RequestState.CLOSED] * 16
    + [RequestState.CANCELLED] * 4
)
# The ledger path of each linkage of a closed request, in order; the last stage is where it stands.
LEDGER_PATHS = [
    [LinkageStage.INTRODUCED],
    [LinkageStage.INTRODUCED, LinkageStage.MEETING_HELD],
    [LinkageStage.INTRODUCED, LinkageStage.MEETING_HELD, LinkageStage.QUOTATION_ACCEPTED],
    [LinkageStage.INTRODUCED, LinkageStage.QUOTATION_ACCEPTED, LinkageStage.CONTRACT_SIGNED],
    [
        LinkageStage.INTRODUCED,
        LinkageStage.MEETING_HELD,
        LinkageStage.QUOTATION_ACCEPTED,
        LinkageStage.CONTRACT_SIGNED,
        LinkageStage.FIRST_DELIVERY,
    ],
    [
        LinkageStage.INTRODUCED,
        LinkageStage.QUOTATION_ACCEPTED,
        LinkageStage.CONTRACT_SIGNED,
        LinkageStage.FIRST_DELIVERY,
        LinkageStage.REPEAT_ORDER,
    ],
    [LinkageStage.INTRODUCED, LinkageStage.MEETING_HELD, LinkageStage.LOST],
]


class BridgeBuilder:
    def __init__(self, company: Organisation, today: dt.date, seed: int = 1405) -> None:
        self.company = company
        self.today = today
        self.rng = random.Random(seed)
        self.counties = {county.code: county for county in County.objects.all()}
        self.certifications = {cert.code: cert for cert in Certification.objects.all()}

    def buyers(self) -> list[tuple[Organisation, dict[str, Any]]]:
        rows = []
        for item in BUYERS:
            organisation = Organisation.objects.create(
                kind="buyer", name=item["name_fa"], name_en=item["name_en"], company=self.company
            )
            rows.append((organisation, item))
        return rows

    def build(self, buyer_user: Any, officer: Any, featured_units: list[Any] = ()) -> dict[str, int]:
        from peyvand.taxonomy.models import Capability

        capability_ids = dict(Capability.objects.filter(is_active=True).values_list("code", "id"))
        buyers = self.buyers()
        Membership.objects.create(user=buyer_user, organisation=buyers[0][0], role="admin")
        templates = [
            (organisation, template) for organisation, item in buyers for template in item["requests"]
        ]
        self.rng.shuffle(templates)
        # The demo buyer's own requests come first so the account shows every state.
        templates.sort(key=lambda pair: pair[0] != buyers[0][0])
        states = list(STATE_PLAN) + [RequestState.PUBLISHED] * max(0, len(templates) - len(STATE_PLAN))
        own = sum(1 for organisation, _t in templates if organisation == buyers[0][0])
        head = [
            RequestState.DRAFT,
            RequestState.SUBMITTED,
            RequestState.PUBLISHED,
            RequestState.CLOSED,
            RequestState.PUBLISHED,
        ]
        rest = states[:]
        for state in head[:own]:
            rest.remove(state)
        self.rng.shuffle(rest)
        states = head[:own] + rest
        counts = {"requests": 0, "invitations": 0, "linkages": 0}
        for (organisation, template), state in zip(templates, states, strict=False):
            request = self._request(organisation, template, state, buyer_user, capability_ids)
            counts["requests"] += 1
            if state in (RequestState.PUBLISHED, RequestState.CLOSED):
                counts["invitations"] += self._suggest_and_invite(request, officer)
            if state == RequestState.CLOSED:
                counts["linkages"] += self._linkages(request, officer)
            if state in (RequestState.CLOSED, RequestState.CANCELLED):
                SourcingRequest.objects.filter(pk=request.pk).update(state=state)
                GapTicket.objects.filter(request=request).update(
                    state=GapState.RESOLVED, resolved_at=timezone.now()
                )
                log_event(
                    request, f"sourcing.request.{state}", {"from": "published", "to": state}, actor=officer
                )
        for unit in featured_units:
            self._feature(unit, officer)
        return counts

    def _feature(self, unit: Any, officer: Any) -> None:
        """Make sure a demo representative's unit has an open invitation to answer."""
        if SupplierInvitation.objects.filter(
            unit=unit, state__in=[InvitationState.INVITED, InvitationState.OPENED]
        ).exists():
            return
        requests = SourcingRequest.objects.filter(
            state=RequestState.PUBLISHED, quote_deadline__gte=self.today + dt.timedelta(days=3)
        )
        request = (
            requests.filter(capabilities__in=unit.capabilities.all()).order_by("quote_deadline").first()
            or requests.order_by("-quote_deadline").first()
        )
        if request is None:
            return
        SupplierInvitation.objects.get_or_create(request=request, unit=unit, defaults={"invited_by": officer})
        log_event(request, "sourcing.invitation.sent", {"unit": unit.name}, actor=officer)

    def _request(
        self, buyer: Organisation, template: dict, state: str, buyer_user: Any, capability_ids: dict
    ) -> SourcingRequest:
        rng = self.rng
        lang = template["lang"]
        if state == RequestState.CLOSED:
            deadline = self.today - dt.timedelta(days=rng.randint(40, 200))
        elif state == RequestState.CANCELLED:
            deadline = self.today - dt.timedelta(days=rng.randint(5, 90))
        else:
            deadline = self.today + dt.timedelta(days=rng.choice([1, 2, 5, 9, 14, 21, 30]))
        request = SourcingRequest.objects.create(
            buyer=buyer,
            company=self.company,
            title=template["title_en"] if lang == "en" else template["title_fa"],
            text=template["text_en"] if lang == "en" else template["text_fa"],
            lang=lang,
            quantity=Decimal(template["quantity"]),
            quantity_unit=template["unit_en"] if lang == "en" else template["unit_fa"],
            target_price_rial=template["target_price_rial"],
            quote_deadline=deadline,
            delivery_from=deadline + dt.timedelta(days=15),
            delivery_to=deadline + dt.timedelta(days=rng.choice([60, 90, 180])),
            confidentiality=rng.choices(["public", "anonymous_buyer", "invited_only"], weights=[6, 3, 2])[0],
            buyer_may_invite=rng.random() < 0.2,
            state=RequestState.DRAFT,
            created_by=buyer_user if buyer_user.memberships.filter(organisation=buyer).exists() else None,
        )
        codes = suggested_codes(template["title_fa"], template["text_fa"], template["title_en"])[:3]
        request.capabilities.set([capability_ids[code] for code in codes if code in capability_ids])
        RequestCertification.objects.bulk_create(
            [
                RequestCertification(
                    request=request, certification=self.certifications[code], requirement=requirement
                )
                for code, requirement in template["certifications"]
                if code in self.certifications
            ]
        )
        request.preferred_counties.set(
            [self.counties[code] for code in template["preferred_counties"] if code in self.counties]
        )
        log_event(
            request,
            "sourcing.request.created",
            {"title": request.title, "fields": []},
            actor=request.created_by,
        )
        if state != RequestState.DRAFT:
            SourcingRequest.objects.filter(pk=request.pk).update(state=RequestState.SUBMITTED)
            log_event(
                request,
                "sourcing.request.submitted",
                {"from": "draft", "to": "submitted"},
                actor=request.created_by,
            )
        if state not in (RequestState.DRAFT, RequestState.SUBMITTED):
            SourcingRequest.objects.filter(pk=request.pk).update(
                state=RequestState.PUBLISHED, published_at=timezone.now()
            )
            log_event(request, "sourcing.request.published", {"from": "submitted", "to": "published"})
        request.refresh_from_db()
        return request

    def _suggest_and_invite(self, request: SourcingRequest, officer: Any) -> int:
        rng = self.rng
        matches = services.suggest(request)
        invited = [match.unit for match in matches[: rng.randint(3, 5)]]
        closed = request.quote_deadline < self.today
        rows = []
        for unit in invited:
            roll = rng.random()
            invitation = SupplierInvitation(request=request, unit=unit, invited_by=officer)
            if closed or roll < 0.55:
                if roll < 0.6 or (closed and roll < 0.75):
                    invitation.state = InvitationState.QUOTED
                    base = request.target_price_rial or 10_000_000
                    invitation.price_rial = int(base * rng.uniform(0.85, 1.25) // 1000 * 1000)
                    invitation.lead_time_days = rng.choice([10, 15, 20, 30, 45, 60])
                    invitation.capacity = (
                        f"{rng.randint(1, 4) * int(request.quantity or 1)} {request.quantity_unit}"
                    )
                    invitation.note = (
                        "نمونه آماده ارسال است." if request.lang == "fa" else "Samples can be sent."
                    )
                elif roll < 0.8:
                    invitation.state = InvitationState.DECLINED
                    invitation.decline_reason = rng.choice(
                        ["no_capacity", "deadline", "price", "raw_material"]
                    )
                else:
                    invitation.state = InvitationState.EXPIRED if closed else InvitationState.OPENED
                invitation.responded_at = (
                    timezone.now()
                    if invitation.state in (InvitationState.QUOTED, InvitationState.DECLINED)
                    else None
                )
                invitation.opened_at = timezone.now()
            elif roll < 0.8:
                invitation.state = InvitationState.OPENED
                invitation.opened_at = timezone.now()
            rows.append(invitation)
            log_event(request, "sourcing.invitation.sent", {"unit": unit.name}, actor=officer)
        SupplierInvitation.objects.bulk_create(rows)
        return len(rows)

    def _linkages(self, request: SourcingRequest, officer: Any) -> int:
        rng = self.rng
        quoted = list(request.invitations.filter(state=InvitationState.QUOTED).select_related("unit"))
        if quoted and not request.buyer_revealed:  # buyers consent before they are put in touch
            SourcingRequest.objects.filter(pk=request.pk).update(buyer_consented=True)
            log_event(request, "sourcing.request.identity_revealed", {}, actor=None)
        created = 0
        for invitation in quoted[:2]:
            path = rng.choice(LEDGER_PATHS)
            day = request.quote_deadline + dt.timedelta(days=rng.randint(3, 10))
            linkage = Linkage.objects.create(
                request=request,
                company=request.company,
                buyer=request.buyer,
                unit=invitation.unit,
                source="quote",
                stage=path[0],
                stage_date=day,
                introduced_on=day,
                quantity=request.quantity,
                quantity_unit=request.quantity_unit,
                created_by=officer,
            )
            steps = [LinkageStep(linkage=linkage, from_stage="", to_stage=path[0], date=day, by=officer)]
            for previous, stage in itertools.pairwise(path):
                day = min(day + dt.timedelta(days=rng.randint(7, 30)), self.today)
                values = self._values(request, invitation, stage)
                steps.append(
                    LinkageStep(
                        linkage=linkage,
                        from_stage=previous,
                        to_stage=stage,
                        date=day,
                        values={k: str(v) for k, v in values.items()},
                        by=officer,
                    )
                )
                for key, value in values.items():
                    if key == "contract_value_rial" and stage == LinkageStage.REPEAT_ORDER:
                        value = (linkage.contract_value_rial or 0) + value
                    setattr(linkage, key, value)
                linkage.stage, linkage.stage_date = stage, day
                if stage == LinkageStage.LOST:
                    linkage.lost_reason = rng.choice(["price", "quality", "delivery"])
            linkage.save()
            LinkageStep.objects.bulk_create(steps)
            log_event(
                request,
                "sourcing.linkage.introduced",
                {"source": "quote", "unit": invitation.unit.name},
                actor=officer,
            )
            created += 1
        return created

    def _values(self, request: SourcingRequest, invitation: SupplierInvitation, stage: str) -> dict[str, Any]:
        rng = self.rng
        quantity = int(request.quantity or 1)
        value = (invitation.price_rial or 0) * quantity
        if stage == LinkageStage.CONTRACT_SIGNED:
            return {
                "contract_value_rial": value,
                "local_content_share": Decimal(rng.choice([60, 70, 80, 90, 100])),
                "export_share": Decimal(rng.choice([20, 35, 50, 70, 85])),
                "jobs_created": rng.randint(1, 12),
            }
        if stage == LinkageStage.FIRST_DELIVERY:
            return {"jobs_created": rng.randint(2, 15)}
        if stage == LinkageStage.REPEAT_ORDER:
            return {"contract_value_rial": value // 2, "jobs_created": rng.randint(4, 20)}
        return {}


def seed_bridge(
    company: Organisation, today: dt.date, buyer_user: Any, officer: Any, featured_units: list[Any] = ()
) -> dict[str, int]:
    return BridgeBuilder(company, today).build(buyer_user, officer, list(featured_units))
