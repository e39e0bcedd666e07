"""Uploaded files are served only through the permission-checked view, each kind for each persona.

Kinds: a claim's evidence, a request's attachment, a supplier's quotation document, an import's sheet.
Personas: the owner, staff of the owning estate company, staff of another company, another unit, a buyer,
and anonymous visitors. Outsiders get 404 (the file's existence is not revealed); anonymous, the login page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from peyvand.core.files import content_disposition, safe_filename
from peyvand.imports.models import ImportBatch
from peyvand.sourcing.models import RequestAttachment, SourcingRequest, SupplierInvitation
from peyvand.units.models import ClaimRequest

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 evidence of the licence"
PERSONAS = ["owner", "manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "anonymous"]


def _request(estate_a, buyer, **fields) -> SourcingRequest:
    return SourcingRequest.objects.create(
        buyer=buyer.memberships.get().organisation,
        company=estate_a.company,
        title="خرید پوسته پمپ",
        text="ریخته‌گری تحت فشار",
        quote_deadline=dt.date.today() + dt.timedelta(days=20),
        **fields,
    )


@pytest.fixture
def world(request, estate_a, unit_a, unit_b, manager, officer, staff_b, unit_a_owner, unit_b_owner, buyer):
    """One file of each kind, and who owns each."""
    claimant = UserFactory(username="claimant")
    claim = ClaimRequest.objects.create(
        unit=unit_a,
        user=claimant,
        position="مدیرعامل",
        evidence="پروانه بهره‌برداری",
        evidence_file=ContentFile(PDF, name="licence.pdf"),
    )
    invited_only = _request(estate_a, buyer, state="published", confidentiality="invited_only")
    SupplierInvitation.objects.create(request=invited_only, unit=unit_a)
    attachment = RequestAttachment.objects.create(
        request=invited_only, name="نقشه پوسته.pdf", file=ContentFile(PDF, name="drawing.pdf")
    )
    anonymous_buyer = _request(estate_a, buyer, state="published", confidentiality="anonymous_buyer")
    quote = SupplierInvitation.objects.create(
        request=anonymous_buyer,
        unit=unit_a,
        state="quoted",
        price_rial=1_000_000,
        file=ContentFile(PDF, name="quote.pdf"),
    )
    batch = ImportBatch.objects.create(
        kind="units",
        company=estate_a.company,
        original_name="واحدها.xlsx",
        file=ContentFile(b"PK\x03\x04 sheet", name="units.xlsx"),
        created_by=manager,
    )
    return {
        "claim_evidence": (claim, claimant),
        "request_attachment": (attachment, buyer),
        "quote_document": (quote, unit_a_owner),
        "import_file": (batch, manager),
    }


# kind -> the personas who get the file (everybody else signed in gets 404; anonymous the login page)
ALLOWED = {
    # the claimant and the staff who review claims; not the unit's current representative
    "claim_evidence": {"owner", "manager", "officer"},
    # an invited-only request: its buyer (the owner), the broker's staff, the invited unit — not another unit
    "request_attachment": {"owner", "buyer", "manager", "officer", "unit_a_owner"},
    # the supplier and the officers; the buyer is anonymous and has not consented, so not the buyer
    "quote_document": {"owner", "manager", "officer", "unit_a_owner"},
    # the company's staff who may see the batch
    "import_file": {"owner", "manager", "officer"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(ALLOWED))
def test_each_kind_of_file_reaches_exactly_the_people_who_may_see_its_owner(
    client, request, world, kind, persona
) -> None:
    obj, owner = world[kind]
    if persona == "owner":
        client.force_login(owner)
    elif persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(f"files:{kind}", args=[obj.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif persona in ALLOWED[kind]:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith((b"%PDF", b"PK"))
    else:
        assert response.status_code == 404


def test_the_buyer_gets_a_quote_document_once_identities_are_revealed(client, world, buyer) -> None:
    invitation, _owner = world["quote_document"]
    client.force_login(buyer)
    url = reverse("files:quote_document", args=[invitation.pk])
    assert client.get(url).status_code == 404
    invitation.request.buyer_consented = True
    invitation.request.save()
    assert client.get(url).status_code == 200


def test_an_openly_published_request_shares_its_attachments_with_every_signed_in_supplier(
    client, world, unit_b_owner
) -> None:
    attachment, _owner = world["request_attachment"]
    attachment.request.confidentiality = "public"
    attachment.request.save()
    client.force_login(unit_b_owner)
    assert client.get(reverse("files:request_attachment", args=[attachment.pk])).status_code == 200


def test_a_draft_request_keeps_its_attachments_to_the_buyer_and_the_staff(
    client, world, unit_a_owner
) -> None:
    attachment, buyer = world["request_attachment"]
    attachment.request.state = "draft"
    attachment.request.save()
    attachment.request.invitations.all().delete()
    url = reverse("files:request_attachment", args=[attachment.pk])
    client.force_login(unit_a_owner)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    assert client.get(url).status_code == 200


def test_the_reviewer_opens_the_evidence_from_the_claim_page(client, world, officer) -> None:
    claim, _claimant = world["claim_evidence"]
    client.force_login(officer)
    page = client.get(reverse("units:claim_review", args=[claim.pk]))
    link = reverse("files:claim_evidence", args=[claim.pk])
    assert f'href="{link}"' in page.text
    assert "/media/" not in page.text
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_pages_link_attachments_quotes_and_sheets_through_the_checked_view(client, world, manager) -> None:
    attachment, _ = world["request_attachment"]
    invitation, _ = world["quote_document"]
    batch, _ = world["import_file"]
    client.force_login(manager)
    for page, link in [
        (attachment.request.get_absolute_url(), reverse("files:request_attachment", args=[attachment.pk])),
        (invitation.request.get_absolute_url(), reverse("files:quote_document", args=[invitation.pk])),
        (reverse("imports:detail", args=[batch.pk]), reverse("files:import_file", args=[batch.pk])),
    ]:
        text = client.get(page).text
        assert f'href="{link}"' in text, page
        assert "/media/" not in text


def test_uploads_are_never_served_from_the_media_path(client, world, manager) -> None:
    claim, _ = world["claim_evidence"]
    client.force_login(manager)
    assert client.get("/media/" + claim.evidence_file.name).status_code == 404


def test_the_download_names_the_file_safely_and_forbids_sniffing(client, world, manager) -> None:
    attachment, _ = world["request_attachment"]
    client.force_login(manager)
    response = client.get(reverse("files:request_attachment", args=[attachment.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''" + quote("نقشه پوسته.pdf", safe="")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_a_file_missing_from_disk_answers_not_found(client, world, manager) -> None:
    claim, _ = world["claim_evidence"]
    claim.evidence_file.storage.delete(claim.evidence_file.name)
    client.force_login(manager)
    assert client.get(reverse("files:claim_evidence", args=[claim.pk])).status_code == 404


def test_only_get_and_head_reach_a_file(client, world, manager) -> None:
    claim, _ = world["claim_evidence"]
    client.force_login(manager)
    url = reverse("files:claim_evidence", args=[claim.pk])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(("mode", "header"), [("x-accel", "X-Accel-Redirect"), ("x-sendfile", "X-Sendfile")])
def test_production_can_hand_the_transfer_to_the_web_server_after_the_check(
    client, settings, world, manager, unit_b_owner, mode, header
) -> None:
    settings.PEYVAND_SENDFILE = mode
    claim, _ = world["claim_evidence"]
    url = reverse("files:claim_evidence", args=[claim.pk])
    client.force_login(unit_b_owner)
    refused = client.get(url)
    assert refused.status_code == 404
    assert header not in refused
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == b""
    if mode == "x-accel":
        assert response[header] == "/protected-uploads/" + quote(claim.evidence_file.name)
    else:
        assert response[header] == quote(claim.evidence_file.path)
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override hides the real extension
        ("line\r\nSet-Cookie: x=1.pdf", "lineSet-Cookie: x=1.pdf"),
        ("نقشه\u200cها.pdf", "نقشه\u200cها.pdf"),  # the half-space of Persian names is kept
        ("...", "download"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_file_names_are_made_safe_for_the_header(name, expected) -> None:
    assert safe_filename(name) == expected
    header = content_disposition(name)
    assert "\r" not in header
    assert "\n" not in header


def test_every_uploaded_file_field_is_served_by_the_one_download_view() -> None:
    """A model that keeps an upload must declare it in its app's downloads.py (no file view of its own)."""
    from django.apps import apps
    from django.db import models as db_models

    from peyvand.core import files

    declared = {(entry.model, entry.field) for entry in files.registry().values()}
    kept = {
        (model, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("peyvand.")
        for field in model._meta.get_fields()
        if isinstance(field, db_models.FileField)
    }
    assert kept - declared == set()
