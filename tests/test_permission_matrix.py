"""The permission matrix: every URL of the project's own apps, for every persona, answers as declared.

A URL pattern without a declared expectation fails the test, so no new view can slip past the gate.
Answers: 200, 403, 404, 405, "login" (302 to the login page) and "redirect" (302 elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import (
    post_matrix_api,
    post_matrix_green,
    post_matrix_investment,
    post_matrix_revival,
    post_matrix_trade,
)
from .factories import PlotFactory, UnitFactory
from .matrix_get import MATRIX
from .matrix_support import (
    DONE,
    PERSONAS,
    Objects,
    PostEntry,
    _changed,
    _own_estate,
    _today,
    _user_field,
    as_post,
    everyone,
    only,
    signed_in,
)


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
def objects(estate_a, unit_a, unit_b, unit_a_owner, buyer, investor) -> Objects:
    from django.core.files.base import ContentFile

    from peyvand.accounts.models import Invitation
    from peyvand.imports.models import ImportBatch
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
        **_clinic(unit_a),
        **_investment(estate_a, investor),
        **_green(estate_a, unit_a, unit_b),
        **_trade(estate_a, unit_a, buyer),
    }


def _clinic(unit_a) -> Objects:
    """An open clinic case of unit A (written directly: the matrix needs only the row) and its intervention."""
    import datetime as dt

    from peyvand.revival.models import Intervention, RevivalCase

    case = RevivalCase.objects.create(
        unit=unit_a,
        stage="treatment",
        stage_date=dt.date.today(),
        opened_on=dt.date.today(),
        status_at_opening="idle",
    )
    return {
        "case": case,
        "intervention": Intervention.objects.create(
            case=case, kind="technical", title="مشاوره فنی", due_on=dt.date.today()
        ),
    }


def _investment(estate_a, investor) -> Objects:
    """The investor persona's file with a piece of evidence, a submitted application, and a contract;
    and an application approved today (its unit registered) still waiting for its contract on a free plot."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from peyvand.investment.models import AllocationContract, Evidence, Investor, Milestone
    from peyvand.taxonomy.models import Classification

    from .investment_world import make_application

    organisation = investor.memberships.get().organisation
    investor_file = Investor.objects.create(
        name=organisation.name, company=estate_a.company, organisation=organisation
    )
    application = make_application(investor_file, state="submitted")
    approved = make_application(
        investor_file,
        title="طرح دوم",
        state="approved",
        isic=Classification.objects.get(scheme="isic4", code="1061"),
    )
    contract = AllocationContract.objects.create(
        application=approved,
        plot=PlotFactory(estate=estate_a, state="allocated"),
        number="AC-1405-00001",
        signed_on=dt.date.today(),
        area_m2=2000,
        price_per_m2_rial=1_000_000,
        total_rial=2_000_000_000,
        down_payment_share=30,
        instalments=12,
    )
    approved_open = make_application(
        investor_file,
        title="طرح سوم",
        state="approved",
        estate=estate_a,
        unit=UnitFactory(estate=estate_a, name="طرح سوم", status="land_allocated"),
    )
    return {
        "approved_open": approved_open,
        "free_plot": PlotFactory(estate=estate_a, area_m2=5000, state="free"),
        "investor_file": investor_file,
        "evidence": Evidence.objects.create(
            investor=investor_file,
            kind="team",
            description="تیم فنی",
            file=ContentFile(b"%PDF-1.4 team", name="team.pdf"),
        ),
        "application": application,
        "contract": contract,
        "milestone": Milestone.objects.create(
            contract=contract,
            kind="permit",
            order=1,
            deadline=dt.date.today(),
            evidence=ContentFile(b"%PDF-1.4 permit", name="permit.pdf"),
        ),
    }


def _trade(estate_a, unit_a, buyer) -> Objects:
    """An export record of unit A and an input the buyer buys abroad."""
    import datetime as dt

    from peyvand.trade.models import BuyerInput, ExportRecord

    export = ExportRecord.objects.create(
        company=estate_a.company, unit=unit_a, product="برنج", hs_code="100630", destination="IQ",
        value_usd=1000, year=1404, month=1, period_start=dt.date(2025, 3, 21), source="customs",
    )  # fmt: skip
    item = BuyerInput.objects.create(
        company=estate_a.company,
        buyer=buyer.memberships.get().organisation,
        name="ورق فولادی",
        origin="imported",
    )
    return {"export_a": export, "input": item}


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
    from peyvand.sourcing.models import GapTicket, Match

    return {
        "request": request,
        "match": Match.objects.create(
            request=request, unit=unit_a, rank=1, score=0.9, reasons_fa=["ریخته‌گری"]
        ),
        "gap": GapTicket.objects.create(
            request=request, company=estate_a.company, qualified_count=1, needed_count=2
        ),
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


def _green(estate_a, unit_a, unit_b) -> Objects:
    """A plant with a progress report, the company's limits, a failed test of unit A (with its case), a
    have of unit A, a want of unit B and the exchange between them."""
    from django.core.files.base import ContentFile

    from .green_world import green_world

    world = green_world(estate_a, unit_a, unit_b)
    world["progress_report"].photo.save("site.png", ContentFile(b"\x89PNG\r\n\x1a\n site"), save=True)
    return world


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


# --- POST: every state-changing URL × every persona ------------------------------------------------
# The declarations' shape and helpers: tests/matrix_support.py.


def _unit_edit_data(o: Objects) -> dict[str, Any]:
    from peyvand.units.forms import ProductFormSet, UnitForm

    data = as_post(UnitForm(instance=o["unit_a"], user=o["manager"]), capacity="۵۰۰ تن در سال")
    formset = ProductFormSet(instance=o["unit_a"], prefix="products")
    data.update({f"products-{key}": value for key, value in formset.management_form.initial.items()})
    return data


def _unit_create_data(o: Objects) -> dict[str, Any]:
    from peyvand.units.forms import UnitCreateForm

    return as_post(
        UnitCreateForm(user=o["manager"]),
        name="کارگاه تازه",
        estate=str(o["estate_a"].pk),
        initial_status="operating",
        status_since="1404/01/15",
    )


def _request_form_data(o: Objects, **changes: Any) -> dict[str, Any]:
    from peyvand.sourcing.forms import SourcingRequestForm

    return as_post(SourcingRequestForm(instance=o["request"], user=o["manager"]), **changes)


def _estate_data(o: Objects, **changes: Any) -> dict[str, Any]:
    from peyvand.estates.forms import EstateForm

    return as_post(EstateForm(instance=o["estate_a"], user=o["manager"]), **changes)


def _estate_create(o: Objects, user: Any) -> dict[str, Any]:
    estate = _own_estate(o, user)
    return _estate_data(
        o, name="شهرک صنعتی تازه", name_en="New Estate", code="new-estate", company=str(estate.company_id)
    )


def _new_unit(o: Objects, user: Any) -> dict[str, Any]:
    return {**_unit_create_data(o), "estate": str(_own_estate(o, user).pk)}


def _new_request(o: Objects, user: Any) -> dict[str, Any]:
    buyer = o["request"].buyer
    estate = _own_estate(o, user)
    buyer.company_id = estate.company_id  # staff file requests for the buyers their company serves
    buyer.save(update_fields=["company"])
    return _request_form_data(o, title="خرید بدنه شیر", buyer=str(buyer.pk))


def _quote(o: Objects, user: Any) -> dict[str, Any]:
    return {"quote": "1", "quote-price_rial": "۱۲۰٬۰۰۰", "quote-lead_time_days": "30"}


def _import_upload(o: Objects, user: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "نام واحد,شهرک\nواحد تازه,شهرک آزمایشی\n".encode()
    return {"kind": "units", "file": SimpleUploadedFile("units.csv", csv, content_type="text/csv")}


def _batch_with_file(o: Objects, **state: Any) -> Any:
    """The import batch with a small CSV of units (and the state given), as step 1 leaves it."""
    from django.core.files.base import ContentFile

    batch = o["batch"]
    if batch.original_name != "units.csv":  # the world's batch holds a stand-in .xlsx for the download check
        batch.original_name = "units.csv"
        batch.file.save(
            "units.csv", ContentFile("نام واحد,شهرک\nواحد تازه,شهرک آزمایشی\n".encode()), save=False
        )
    for name, value in state.items():
        setattr(batch, name, value)
    batch.save()
    return batch


def _pending(o: Objects, user: Any) -> dict[str, Any]:
    """The officer asks to act for the unit too: a membership joining staff and client roles waits."""
    from peyvand.accounts.models import PendingMembership, User

    officer = User.objects.get(username="officer_a")
    o["pending"], _created = PendingMembership.objects.get_or_create(
        user=officer, organisation=o["unit_a"].organisation, defaults={"role": "editor"}
    )
    return {}


def _mapping(o: Objects, user: Any) -> dict[str, Any]:
    _batch_with_file(o, sheet="units")
    return {"header_row": "1", "column_0": "name", "column_1": "estate", "check": "1"}


def _checked(o: Objects, user: Any) -> dict[str, Any]:
    _batch_with_file(o, sheet="units", header_row=1, mapping={"0": "name", "1": "estate"}, state="checked")
    return {"mode": "valid"}


NEW_PASSWORD = "a-much-longer-Pass-9"

POST_MATRIX: dict[str, PostEntry] = {
    "set_language": (
        lambda o: {},
        lambda o, u: {"language": "en", "next": "/"},
        _user_field("preferred_language", "en"),
        {**signed_in(DONE), "anonymous": "redirect"},  # the anonymous choice lives in a cookie only
    ),
    "accounts:login": (
        lambda o: {},
        lambda o, u: {"username": "manager_a", "password": "peyvand-test"},
        _changed("accounts.User", username="manager_a", last_login__isnull=False),
        {**everyone("redirect"), "anonymous": DONE},
    ),
    "accounts:logout": (lambda o: {}, lambda o, u: {}, lambda o, u: True, everyone("redirect")),
    "accounts:profile": (
        lambda o: {},
        lambda o, u: {
            "first_name": "نام تازه",
            "email": "fresh@example.ir",
            "preferred_language": "fa",
            "money_unit": "toman",
        },
        _user_field("first_name", "نام تازه"),
        signed_in(DONE),
    ),
    "accounts:password_change": (
        lambda o: {},
        lambda o, u: {
            "old_password": "peyvand-test",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        lambda o, u: u.__class__.objects.get(pk=u.pk).check_password(NEW_PASSWORD),
        signed_in(DONE),
    ),
    # The reset e-mail is sent (or not) without telling whether the address exists; nothing is stored.
    "accounts:password_reset": (
        lambda o: {},
        lambda o, u: {"email": "owner_a@example.ir"},
        lambda o, u: True,
        everyone("redirect"),
    ),
    "accounts:password_reset_confirm": (
        lambda o: {"uidb64": "MQ", "token": "set-password"},
        lambda o, u: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        lambda o, u: True,
        everyone(200),  # the link is not valid: the page says so and changes nothing
    ),
    "accounts:organisation_create": (
        lambda o: {},
        lambda o, u: {"kind": "buyer", "name": "خریدار تازه", "name_en": "New Buyer"},
        _changed("accounts.Organisation", name="خریدار تازه"),
        only({"manager": DONE, "officer": DONE, "staff_b": DONE}),
    ),
    "accounts:organisation_detail": (
        lambda o: {"pk": o["unit_a"].organisation_id},
        lambda o, u: {"email": "fresh@example.ir", "role": "editor"},
        _changed("accounts.Invitation", email="fresh@example.ir"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": DONE}, otherwise=404),
    ),
    "accounts:membership_remove": (
        lambda o: {"pk": o["membership_a"].pk},
        lambda o, u: {},
        lambda o, u: not o["membership_a"].__class__.objects.filter(pk=o["membership_a"].pk).exists(),
        only({"manager": DONE, "officer": 403, "unit_a_owner": "redirect"}, otherwise=404),
    ),
    "accounts:accept_invitation": (
        lambda o: {"token": o["invitation"].token},
        lambda o, u: {
            "username": "newcomer",
            "email": "new@example.ir",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        _changed("accounts.Invitation", email="new@example.ir", state="accepted"),
        everyone(DONE),
    ),
    "estates:create": (
        lambda o: {},
        _estate_create,
        _changed("estates.IndustrialEstate", code="new-estate"),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "estates:edit": (
        lambda o: {"pk": o["estate_a"].pk},
        lambda o, u: _estate_data(o, description="توضیح تازه"),
        _changed("estates.IndustrialEstate", description="توضیح تازه"),
        only({"manager": DONE}),
    ),
    "estates:plot_create": (
        lambda o: {"pk": o["estate_a"].pk},
        lambda o, u: {"number": "P-NEW", "area_m2": "۱۵۰۰", "state": "free"},
        _changed("estates.Plot", number="P-NEW"),
        only({"manager": DONE}),
    ),
    "estates:plot_edit": (
        lambda o: {"pk": o["plot_a"].pk},
        lambda o, u: {"number": o["plot_a"].number, "area_m2": "2500", "state": "free"},
        _changed("estates.Plot", area_m2=2500),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "units:create": (
        lambda o: {},
        _new_unit,
        _changed("units.ProductionUnit", name="کارگاه تازه"),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "units:edit": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: _unit_edit_data(o),
        _changed("units.ProductionUnit", capacity="۵۰۰ تن در سال"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": DONE}),
    ),
    "units:change_status": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"to_status": "idle", "date": _today(), "cause": "market", "note": "بازار ضعیف"},
        _changed("units.StatusChange", to_status="idle", note="بازار ضعیف"),
        only({"manager": DONE}),
    ),
    "units:claim": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"position": "مدیر فروش", "evidence": "پروانه بهره‌برداری ۴۵۶"},
        lambda o, u: o["claim"].__class__.objects.filter(user=u, evidence="پروانه بهره‌برداری ۴۵۶").exists(),
        # Its representative already acts for it, and the buyer's claim is being reviewed: a message each.
        {**signed_in(DONE), "unit_a_owner": 200, "buyer": 200},
    ),
    "units:claim_review": (
        lambda o: {"pk": o["claim"].pk},
        lambda o, u: {"decision": "reject", "note": "مدرک کافی نیست"},
        _changed("units.ClaimRequest", state="rejected"),
        only({"manager": DONE, "officer": DONE, "buyer": 403}, otherwise=404),
    ),
    "units:representatives": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {},
        lambda o, u: True,
        only({"manager": "redirect", "officer": "redirect", "unit_a_owner": 403}),
    ),
    "units:merge": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"duplicate": str(o["unit_b"].pk), "confirm": "on"},
        lambda o, u: not o["unit_b"].__class__.objects.filter(pk=o["unit_b"].pk).exists(),
        only({"manager": DONE}),
    ),
    "sourcing:request_create": (
        lambda o: {},
        _new_request,
        _changed("sourcing.SourcingRequest", title="خرید بدنه شیر"),
        only({"manager": DONE, "officer": DONE, "staff_b": DONE, "buyer": DONE}),
    ),
    "sourcing:request_edit": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: _request_form_data(o, title="خرید پوسته پمپ آلومینیومی"),
        _changed("sourcing.SourcingRequest", title="خرید پوسته پمپ آلومینیومی"),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_move": (
        lambda o: {"pk": o["request"].pk, "state": "closed"},
        lambda o, u: {"note": "بسته شد"},
        _changed("sourcing.SourcingRequest", state="closed"),
        only({"manager": DONE, "officer": DONE, "buyer": DONE}),
    ),
    "sourcing:request_suggest": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {},
        _changed("sourcing.SourcingRequest", suggestion_requested_at__isnull=False),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_invite": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {"units": [str(o["unit_b"].pk)]},
        lambda o, u: o["invitation_a"].__class__.objects.filter(unit=o["unit_b"]).exists(),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_consent": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {},
        _changed("sourcing.SourcingRequest", buyer_consented=True),
        only({"buyer": DONE}),
    ),
    "sourcing:linkage_start": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {"unit": str(o["unit_b"].pk)},
        lambda o, u: o["linkage"].__class__.objects.filter(unit=o["unit_b"]).exists(),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:invitation_detail": (
        lambda o: {"pk": o["invitation_a"].pk},
        _quote,
        _changed("sourcing.SupplierInvitation", state="quoted", price_rial=120000),
        only({"unit_a_owner": DONE, "manager": 403, "officer": 403, "buyer": 403}, otherwise=404),
    ),
    "sourcing:linkage_detail": (
        lambda o: {"pk": o["linkage"].pk},
        lambda o, u: {"to_stage": "meeting_held", "date": _today(), "note": "جلسه برگزار شد"},
        _changed("sourcing.Linkage", stage="meeting_held"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": 403, "buyer": 403}, otherwise=404),
    ),
    "accounts:membership_decide": (
        lambda o: {"pk": o["pending"].pk, "decision": "refuse"},
        _pending,
        _changed("accounts.PendingMembership", state="refused"),
        # Only the company's managers decide; the officer does not decide its own membership.
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:new": (
        lambda o: {},
        _import_upload,
        lambda o, u: o["batch"].__class__.objects.filter(original_name="units.csv").exists(),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "imports:sheet": (
        lambda o: {"pk": o["batch"].pk},
        lambda o, u: _batch_with_file(o) and {"sheet": "units"},
        _changed("imports.ImportBatch", sheet="units"),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:mapping": (
        lambda o: {"pk": o["batch"].pk},
        _mapping,
        lambda o, u: o["batch"].__class__.objects.exclude(state="uploaded").exists(),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:apply": (
        lambda o: {"pk": o["batch"].pk},
        _checked,
        lambda o, u: o["batch"].__class__.objects.filter(applied_at__isnull=False).exists(),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "notifications:mark_all_read": (
        lambda o: {},
        lambda o, u: {},
        _changed("notifications.Notification", read_at__isnull=False),
        {**signed_in("redirect"), "unit_a_owner": DONE},
    ),
}


# Views that read only: a POST is answered as the GET is and writes nothing.
POST_READS = {
    "home",
    "favicon",
    "accounts:organisations",
    "estates:list",
    "estates:detail",
    "units:list",
    "units:detail",
    "units:claims",
    "units:history",
    "taxonomy:capability_suggest",
    "taxonomy:capability_search",
    "sourcing:request_list",
    "sourcing:request_detail",
    "sourcing:suggestions_progress",
    "sourcing:attachment",
    "sourcing:invitation_list",
    "sourcing:quote_file",
    "sourcing:linkage_list",
    "sourcing:gap_list",
    "sourcing:directory",
    "imports:list",
    "imports:detail",
    "imports:progress",
    "imports:rejects",
}

# The four apps that landed beside the POST matrix (the clinic, investors and land, green estates,
# trade) read-only pages: a POST is answered as the GET is and writes nothing.
POST_READS |= {
    "green:case_list",
    "green:connection_list",
    "green:dashboard",
    "green:link_list",
    "green:listing_list",
    "green:plant_detail",
    "green:plant_list",
    "green:proposal_list",
    "green:test_detail",
    "green:test_list",
    "investment:application_detail",
    "investment:application_list",
    "investment:contract_detail",
    "investment:contract_list",
    "investment:investor_detail",
    "investment:investor_list",
    "investment:land_use",
    "investment:overdue_list",
    "revival:at_risk",
    "revival:case_detail",
    "revival:case_list",
    "revival:figures",
    "revival:returns",
    "trade:captured",
    "trade:chains",
    "trade:export_detail",
    "trade:export_list",
    "trade:hs_suggest",
    "trade:input_list",
    "trade:summary",
}

# The apps that landed beside the POST matrix declare their state-changing URLs in their own modules.
APP_POST_MODULES = (
    post_matrix_revival,
    post_matrix_investment,
    post_matrix_green,
    post_matrix_trade,
    post_matrix_api,
)
for _module in APP_POST_MODULES:
    POST_MATRIX |= _module.POST


def _fingerprint() -> list[Any]:
    """Every row of the project's tables, the accounts and the audit log: what "nothing changed" means."""
    from django.apps import apps

    labels = {
        "accounts",
        "core",
        "imports",
        "estates",
        "units",
        "sourcing",
        "notifications",
        "auditlog",
        "revival",
        "investment",
        "green",
        "trade",
    }
    rows: list[Any] = []
    for model in apps.get_models():
        if model._meta.app_label in labels and model._meta.managed:
            rows.append((model._meta.label, list(model.objects.order_by("pk").values_list())))
    return rows


def _answer(response: Any) -> Any:
    got: Any = response.status_code
    if got in (301, 302):
        got = "login" if response["Location"].startswith(reverse("accounts:login")) else "redirect"
    return got


def _sign_in(client: Any, request: Any, persona: str) -> Any:
    for name in ("manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor"):
        request.getfixturevalue(name)  # the same world exists for every persona
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


@pytest.fixture
def post_objects(objects, manager) -> Objects:
    return {**objects, "manager": manager}


def test_every_post_declaration_names_a_url_and_every_persona() -> None:
    assert not [name for name in POST_MATRIX if name not in MATRIX]
    assert not [name for name, entry in POST_MATRIX.items() if set(entry[3]) != set(PERSONAS)]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_each_persona_posting_a_valid_form_gets_the_declared_answer_and_only_allowed_writes_happen(
    client, request, post_objects, name, persona
) -> None:
    user = _sign_in(client, request, persona)
    kwargs, data, written, answers = POST_MATRIX[name]
    payload = data(post_objects, user or post_objects["manager"])
    before = _fingerprint()
    response = client.post(reverse(name, kwargs=kwargs(post_objects)), payload)
    got, expected = _answer(response), answers[persona]
    if expected == DONE:
        assert got in (200, 201, 204, "redirect"), f"{name} as {persona}: expected the write, got {got}"
        assert written(post_objects, user), f"{name} as {persona}: answered {got} but did not write"
        assert _fingerprint() != before
    else:
        assert got == expected, f"{name} as {persona}: expected {expected}, got {got}"
        assert _fingerprint() == before, f"{name} as {persona}: refused ({got}) but the database changed"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_that_accepts_a_post_is_declared(client, request, objects, persona) -> None:
    """A URL outside POST_MATRIX must refuse POST (405, or the login page first) or be a declared read."""
    _sign_in(client, request, persona)
    failures = []
    for name, (kwargs, answers) in MATRIX.items():
        if name in POST_MATRIX:
            continue
        before = _fingerprint()
        got = _answer(client.post(reverse(name, kwargs=kwargs(objects)), {}))
        if name in POST_READS:
            if got != answers[persona]:
                failures.append(f"{name}: a POST read answers {got}, its GET {answers[persona]}")
        elif got not in (405, "login") or (got == "login" and answers[persona] != "login"):
            failures.append(f"{name}: accepts POST ({got}) without a declaration in POST_MATRIX")
        if _fingerprint() != before:
            failures.append(f"{name}: an undeclared POST changed the database")
    assert not failures, "\n".join(failures)
