"""Security by default: CSP, login throttling, public fields only, escaping, upload limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peyvand.units.models import ClaimRequest

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_without_inline_scripts(client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text.replace("<script src=", "")
    assert response["X-Frame-Options"] == "DENY"


def test_five_wrong_passwords_lock_the_account_for_a_while(client, manager) -> None:
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "manager_a", "password": "wrong"})
    assert response.status_code == 429
    locked = client.post("/accounts/login/", {"username": "manager_a", "password": "peyvand-test"})
    assert locked.status_code == 429
    assert "تلاش" in locked.text


def test_the_public_profile_of_a_unit_shows_only_public_fields(client, unit_a) -> None:
    unit_a.national_id = "10101234567"
    unit_a.phone = "01333445566"
    unit_a.contact_person = "علی رضایی"
    unit_a.save()
    page = client.get(f"/units/{unit_a.pk}/")
    assert page.status_code == 200
    assert unit_a.name in page.text
    for secret in ["10101234567", "۱۰۱۰۱۲۳۴۵۶۷", "01333445566", "علی رضایی", 'data-testid="status-history"']:
        assert secret not in page.text


def test_an_idle_unit_is_not_public(client, estate_a) -> None:
    idle = UnitFactory(estate=estate_a, status="idle")
    response = client.get(f"/units/{idle.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_public_directory_cannot_filter_by_status(client, buyer) -> None:
    assert client.get("/units/?status=idle")["Location"].startswith("/accounts/login/")
    client.force_login(buyer)
    assert client.get("/units/?status=idle").status_code == 403


def test_text_typed_by_users_is_escaped(client, manager, estate_a) -> None:
    unit = UnitFactory(
        estate=estate_a, name="<script>alert('x')</script>", description="<img src=x onerror=alert(1)>"
    )
    client.force_login(manager)
    for url in [f"/units/{unit.pk}/", "/units/"]:
        page = client.get(url)
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;" in page.text


def test_a_claim_refuses_a_file_that_is_not_what_it_claims(client, buyer, unit_a) -> None:
    client.force_login(buyer)
    fake = SimpleUploadedFile(
        "licence.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf"
    )
    response = client.post(
        f"/units/{unit_a.pk}/claim/", {"position": "مدیر", "evidence": "پروانه", "evidence_file": fake}
    )
    assert response.status_code == 200
    assert not ClaimRequest.objects.exists()


def test_a_claim_refuses_a_file_over_the_size_limit(client, settings, buyer, unit_a) -> None:
    settings.PEYVAND_UPLOAD_MAX_MB = 1
    client.force_login(buyer)
    big = SimpleUploadedFile(
        "licence.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), content_type="application/pdf"
    )
    response = client.post(
        f"/units/{unit_a.pk}/claim/", {"position": "مدیر", "evidence": "پروانه", "evidence_file": big}
    )
    assert response.status_code == 200
    assert "مگابایت" in response.text
    assert not ClaimRequest.objects.exists()


def test_forms_refuse_posts_without_the_csrf_token(manager, unit_a) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    response = strict.post(f"/units/{unit_a.pk}/status/", {"to_status": "idle"})
    assert response.status_code == 403
