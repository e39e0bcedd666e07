"""An anonymous buyer stays anonymous on every surface until it consents (issue 9 item 1).

Each surface that can show who filed a request — the list page, its htmx fragment, its CSV and xlsx
exports, the request page, the invitation page, the ledger, notifications and their e-mails — is read
by an invited supplier, an uninvited supplier, the buyer, the brokering officer and staff of another
estate company.
"""

from __future__ import annotations

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from peyvand.sourcing import confidentiality, services
from peyvand.sourcing.models import SourcingRequest

from .sourcing_world import build_world

pytestmark = pytest.mark.django_db

BUYER_NAMES = ("گروه صنعتی خریدار", "Buyer Group")
PERSONAS = ["unit_a_owner", "unit_b_owner", "buyer", "officer", "staff_b"]
# Who knows the buyer of an anonymous request nobody consented to yet.
KNOWS = {"unit_a_owner": False, "unit_b_owner": False, "buyer": True, "officer": True, "staff_b": False}


@pytest.fixture
def anonymous_request(estate_a, buyer, officer, unit_a, unit_b, unit_a_owner, unit_b_owner, staff_b):
    """A published anonymous request of the buyer; unit A is invited (by the officer), unit B is not."""
    request, _units = build_world(estate_a, buyer)
    SourcingRequest.objects.filter(pk=request.pk).update(confidentiality="anonymous_buyer", state="published")
    request.refresh_from_db()
    services.invite(request, [unit_a], by=officer)
    return request


def _shows_buyer(text: str) -> bool:
    return any(name in text for name in BUYER_NAMES)


def _surfaces(client, request) -> dict[str, str]:
    invitation = request.invitations.get()
    xlsx = client.get("/sourcing/requests/", {"export": "xlsx"})
    cells = " ".join(
        str(cell)
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    return {
        "list": client.get("/sourcing/requests/").text,
        "fragment": client.get(
            "/sourcing/requests/", {"q": "پمپ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
        ).text,
        "csv": client.get("/sourcing/requests/", {"export": "csv"}).content.decode("utf-8-sig"),
        "xlsx": cells,
        "detail": client.get(f"/sourcing/requests/{request.pk}/").text,
        "invitation": client.get(f"/sourcing/invitations/{invitation.pk}/").text,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_anonymous_buyer_is_named_only_to_its_people_and_its_estate_company(
    client, request, anonymous_request, persona
) -> None:
    client.force_login(request.getfixturevalue(persona))
    surfaces = _surfaces(client, anonymous_request)
    assert anonymous_request.title in surfaces["list"]  # every persona sees the request itself
    for surface, text in surfaces.items():
        if surface == "invitation" and persona in ("unit_b_owner", "buyer", "staff_b"):
            continue  # not theirs to open (404/403): nothing shown
        assert _shows_buyer(text) is KNOWS[persona], (persona, surface)


@pytest.mark.parametrize("persona", PERSONAS)
def test_once_the_buyer_consents_every_supplier_sees_its_name(
    client, request, anonymous_request, buyer, persona
) -> None:
    services.consent_to_reveal(anonymous_request, by=buyer)
    client.force_login(request.getfixturevalue(persona))
    surfaces = _surfaces(client, anonymous_request)
    for surface in ("list", "fragment", "csv", "xlsx", "detail"):
        assert _shows_buyer(surfaces[surface]), (persona, surface)


def test_the_invited_suppliers_notifications_and_emails_do_not_name_an_anonymous_buyer(
    anonymous_request, unit_a_owner
) -> None:
    notifications = list(unit_a_owner.notifications.all())
    assert notifications, "the invitation reached the supplier"
    for notification in notifications:
        for text in (
            notification.title_fa,
            notification.title_en,
            notification.body_fa,
            notification.body_en,
        ):
            assert not _shows_buyer(text or "")
    to_supplier = [message for message in mail.outbox if unit_a_owner.email in message.to]
    for message in to_supplier:
        assert not _shows_buyer(message.subject + message.body)


def test_the_list_computes_the_rule_in_its_query(anonymous_request, unit_a_owner, buyer) -> None:
    """The flag comes from the database (one query for the page), and says the same as the rule."""
    from peyvand.sourcing.views import visible_requests

    for user, expected in ((unit_a_owner, False), (buyer, True)):
        row = visible_requests(user).get(pk=anonymous_request.pk)
        assert row.buyer_visible is expected
        plain = SourcingRequest.objects.get(pk=anonymous_request.pk)
        assert confidentiality.buyer_visible(user, plain) is expected


def test_the_ledger_withholds_the_buyer_while_its_request_is_anonymous(
    client, anonymous_request, buyer, officer, unit_a, unit_a_owner
) -> None:
    """A linkage needs consent; should a request be made anonymous afterwards, the ledger follows it."""
    services.consent_to_reveal(anonymous_request, by=buyer)
    linkage = services.start_linkage(anonymous_request, unit_a, by=officer, source="match")
    SourcingRequest.objects.filter(pk=anonymous_request.pk).update(buyer_consented=False)
    client.force_login(unit_a_owner)
    for url in ("/sourcing/linkages/", f"/sourcing/linkages/{linkage.pk}/"):  # (suppliers export nothing)
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _shows_buyer(response.content.decode("utf-8-sig")), url
    client.force_login(officer)
    assert _shows_buyer(client.get("/sourcing/linkages/").text)
