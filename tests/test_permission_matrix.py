"""The permission matrix: every URL of the project's own apps, for every persona, answers as declared.

A URL pattern without a declared expectation fails the test, so no new view can slip past the gate.
Answers: 200, 403, 404, 405, "login" (302 to the login page) and "redirect" (302 elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import PlotFactory

PERSONAS = ["manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor", "anonymous"]


def everyone(answer: Any) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, answer)


def signed_in(answer: Any) -> dict[str, Any]:
    return {**everyone(answer), "anonymous": "login"}


def only(answer_for: dict[str, Any], otherwise: Any = 403) -> dict[str, Any]:
    return {**signed_in(otherwise), **answer_for}


# url name -> (kwargs builder, {persona: answer})
Objects = dict[str, Any]
MATRIX: dict[str, tuple[Callable[[Objects], dict[str, Any]], dict[str, Any]]] = {
    "home": (lambda o: {}, everyone(200)),
    "favicon": (lambda o: {}, everyone("redirect")),
    "set_language": (lambda o: {}, everyone(405)),
    "accounts:login": (lambda o: {}, {**everyone("redirect"), "anonymous": 200}),
    "accounts:logout": (lambda o: {}, everyone(405)),
    "accounts:profile": (lambda o: {}, signed_in(200)),
    "accounts:password_change": (lambda o: {}, signed_in(200)),
    "accounts:password_change_done": (lambda o: {}, signed_in(200)),
    "accounts:password_reset": (lambda o: {}, everyone(200)),
    "accounts:password_reset_done": (lambda o: {}, everyone(200)),
    "accounts:password_reset_confirm": (lambda o: {"uidb64": "MQ", "token": "set-password"}, everyone(200)),
    "accounts:password_reset_complete": (lambda o: {}, everyone(200)),
    "accounts:organisations": (lambda o: {}, signed_in(200)),
    "accounts:organisation_create": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "accounts:organisation_detail": (
        lambda o: {"pk": o["unit_a"].organisation_id},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404),
    ),
    "accounts:membership_remove": (lambda o: {"pk": o["membership_a"].pk}, signed_in(405)),
    "accounts:membership_decide": (lambda o: {"pk": 1, "decision": "approve"}, signed_in(405)),
    "accounts:accept_invitation": (lambda o: {"token": o["invitation"].token}, everyone(200)),
    "estates:list": (lambda o: {}, everyone(200)),
    "estates:create": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "estates:detail": (lambda o: {"pk": o["estate_a"].pk}, everyone(200)),
    "estates:edit": (lambda o: {"pk": o["estate_a"].pk}, only({"manager": 200})),
    "estates:plot_create": (lambda o: {"pk": o["estate_a"].pk}, only({"manager": 200})),
    "estates:plot_edit": (
        lambda o: {"pk": o["plot_a"].pk},
        only({"manager": 200, "officer": 403}, otherwise=404),
    ),
    "units:list": (lambda o: {}, everyone(200)),
    "units:create": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "units:detail": (lambda o: {"pk": o["unit_a"].pk}, everyone(200)),
    "units:edit": (
        lambda o: {"pk": o["unit_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}),
    ),
    "units:change_status": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200})),
    "units:claim": (lambda o: {"pk": o["unit_a"].pk}, signed_in(200)),
    "units:claims": (lambda o: {}, signed_in(200)),
    "units:claim_review": (
        lambda o: {"pk": o["claim"].pk},
        only({"manager": 200, "officer": 200, "buyer": 403}, otherwise=404),
    ),
    "units:history": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200, "officer": 200})),
    "taxonomy:capability_suggest": (lambda o: {}, signed_in(200)),
    "taxonomy:capability_search": (lambda o: {}, signed_in(200)),
    "sourcing:request_list": (lambda o: {}, signed_in(200)),
    "sourcing:request_create": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "buyer": 200}),
    ),
    "sourcing:request_detail": (lambda o: {"pk": o["request"].pk}, signed_in(200)),
    "sourcing:request_edit": (lambda o: {"pk": o["request"].pk}, only({"manager": 200, "officer": 200})),
    "sourcing:request_move": (lambda o: {"pk": o["request"].pk, "state": "closed"}, signed_in(405)),
    "sourcing:request_suggest": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    # Nothing is being prepared: the poll answers 204 (and sends the page on) to those who see suggestions.
    "sourcing:suggestions_progress": (
        lambda o: {"pk": o["request"].pk},
        only({"manager": 204, "officer": 204, "buyer": 404, "unit_a_owner": 404}),
    ),
    "sourcing:request_invite": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:request_consent": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:linkage_start": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:invitation_list": (lambda o: {}, signed_in(200)),
    "sourcing:invitation_detail": (
        lambda o: {"pk": o["invitation_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200, "buyer": 403}, otherwise=404),
    ),
    "sourcing:linkage_list": (lambda o: {}, signed_in(200)),
    "sourcing:linkage_detail": (
        lambda o: {"pk": o["linkage"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200, "buyer": 200}, otherwise=404),
    ),
    "sourcing:gap_list": (lambda o: {}, signed_in(200)),
    "sourcing:directory": (lambda o: {}, signed_in(200)),
    "units:merge": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200})),
    "units:representatives": (lambda o: {"pk": o["unit_a"].pk}, signed_in(405)),
    # Imports: company staff see the batches; managers (and investment experts) import; never a unit.
    "imports:list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "imports:new": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "imports:detail": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    "imports:sheet": (lambda o: {"pk": o["batch"].pk}, only({"manager": 200, "officer": 403}, otherwise=404)),
    "imports:mapping": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 403}, otherwise=404),
    ),
    "imports:progress": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 204, "officer": 204}, otherwise=404),
    ),
    "imports:apply": (lambda o: {"pk": o["batch"].pk}, signed_in(405)),
    "imports:rejects": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    # Uploaded files: one permission-checked view (tests/test_file_downloads.py tries every kind in depth).
    "files:claim_evidence": (
        lambda o: {"pk": o["claim"].pk},
        only({"manager": 200, "officer": 200, "buyer": 200}, otherwise=404),  # the buyer is the claimant
    ),
    "files:request_attachment": (lambda o: {"pk": o["attachment"].pk}, signed_in(200)),
    # No document was uploaded with this invitation: nobody gets a file.
    "files:quote_document": (lambda o: {"pk": o["invitation_a"].pk}, signed_in(404)),
    "files:import_file": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    "notifications:list": (lambda o: {}, signed_in(200)),
    "notifications:open": (
        lambda o: {"pk": o["notification"].pk},
        only({"unit_a_owner": "redirect"}, otherwise=404),
    ),
    "notifications:mark_all_read": (lambda o: {}, signed_in(405)),
    "notifications:bell": (lambda o: {}, signed_in("redirect")),  # htmx gets the fragment
    # Insights: the dashboard, its exports and the press report are the company's; statistics are public.
    "insights_dashboard": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "insights_chart_export": (
        lambda o: {"chart": "figures"},
        only({"manager": 200, "officer": 200, "staff_b": 200}),
    ),
    "insights_press_report": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "insights_statistics": (lambda o: {}, everyone(200)),
    "insights_open_data": (lambda o: {"dataset": "units", "file_format": "csv"}, everyone(200)),
    "insights_county_map": (lambda o: {}, everyone(200)),
}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    """(url name, URLconf module) of every pattern under ``resolver``."""
    module = getattr(resolver.urlconf_module, "__name__", str(resolver.urlconf_name))
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            nested = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry, nested)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else str(entry.pattern)
            yield name, module


def project_url_names() -> list[str]:
    """Every URL declared in the project's own URLconfs (the Django admin has its own test)."""
    return sorted(
        {
            name
            for name, module in _walk(get_resolver())
            if module.startswith("peyvand") and not name.startswith("admin:")
        }
    )


def test_every_project_url_has_a_declared_expectation() -> None:
    undeclared = [name for name in project_url_names() if name not in MATRIX]
    assert not undeclared, f"declare the permission expectations of: {undeclared}"
    stale = [name for name in MATRIX if name not in project_url_names()]
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


@pytest.fixture
def objects(estate_a, unit_a, unit_b, unit_a_owner, buyer) -> Objects:
    from django.core.files.base import ContentFile

    from peyvand.accounts.models import Invitation
    from peyvand.core.models import ImportBatch
    from peyvand.notifications.models import Notification
    from peyvand.units.models import ClaimRequest

    return {
        "estate_a": estate_a,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "plot_a": PlotFactory(estate=estate_a),
        "membership_a": unit_a_owner.memberships.get(),
        "invitation": Invitation.objects.create(
            organisation=unit_a.organisation, email="new@example.ir", role="editor"
        ),
        "claim": ClaimRequest.objects.create(
            unit=unit_a,
            user=buyer,
            position="مدیر فروش",
            evidence="پروانه ۱۲۳",
            evidence_file=ContentFile(b"%PDF-1.4 licence", name="licence.pdf"),
        ),
        "batch": ImportBatch.objects.create(
            kind="units",
            company=estate_a.company,
            original_name="units.xlsx",
            file=ContentFile(b"PK\x03\x04 sheet", name="units.xlsx"),
        ),
        "notification": Notification.objects.create(
            user=unit_a_owner,
            kind="system",
            title_fa="اعلان آزمایشی",
            title_en="Test notification",
            url="/units/",
        ),
        **_bridge(estate_a, unit_a, buyer),
    }


def _bridge(estate_a, unit_a, buyer) -> Objects:
    """A published public request of the buyer, an invitation to unit A, a linkage and an attachment."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from peyvand.sourcing.models import Linkage, RequestAttachment, SourcingRequest, SupplierInvitation

    request = SourcingRequest.objects.create(
        buyer=buyer.memberships.get().organisation,
        company=estate_a.company,
        title="خرید پوسته پمپ",
        text="ریخته‌گری تحت فشار",
        quote_deadline=dt.date.today() + dt.timedelta(days=20),
        state="published",
    )
    attachment = RequestAttachment(request=request, name="drawing.pdf")
    attachment.file.save("drawing.pdf", ContentFile(b"%PDF-1.4 drawing"), save=True)
    return {
        "request": request,
        "attachment": attachment,
        "invitation_a": SupplierInvitation.objects.create(request=request, unit=unit_a),
        "linkage": Linkage.objects.create(
            request=request,
            company=estate_a.company,
            buyer=request.buyer,
            unit=unit_a,
            source="match",
            stage_date=dt.date.today(),
            introduced_on=dt.date.today(),
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_declared_answer_on_every_url(client, request, objects, persona) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    else:
        for name in ("manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor"):
            request.getfixturevalue(name)  # the same world exists for every persona
    failures = []
    for name, (kwargs, answers) in MATRIX.items():
        url = reverse(name, kwargs=kwargs(objects))
        expected = answers[persona]
        response = client.get(url)
        got: Any = response.status_code
        if got in (301, 302):
            got = "login" if response["Location"].startswith(reverse("accounts:login")) else "redirect"
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_only_staff_superusers_reach_the_django_admin(client, manager, unit_a_owner) -> None:
    from .factories import UserFactory

    assert client.get("/admin/").status_code == 302
    client.force_login(manager)
    assert client.get("/admin/").status_code == 302  # estate-company staff are not Django admins
    client.force_login(unit_a_owner)
    assert client.get("/admin/").status_code == 302
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/units/productionunit/").status_code == 200
