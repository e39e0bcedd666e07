"""The REST API: the same rows and fields as the pages for every persona (confidentiality included),
personal tokens, problem-details errors in the caller's language, dates, throttling and no N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peyvand.accounts.views import organisation_rows
from peyvand.api.models import ApiToken, hash_token
from peyvand.core import permissions
from peyvand.estates.views import estate_rows
from peyvand.green.views import (
    compliance_case_rows,
    connection_rows,
    effluent_test_rows,
    limit_rows,
    link_rows,
    listing_rows,
    plant_rows,
)
from peyvand.investment.views import application_rows, contract_rows, investor_rows
from peyvand.revival.views import case_rows
from peyvand.sourcing.models import Match
from peyvand.sourcing.views import gap_rows, linkage_rows, visible_requests
from peyvand.trade.views import input_rows, visible_records
from peyvand.units.views import unit_rows

from .factories import UnitFactory
from .matrix_support import PERSONAS
from .matrix_world import objects  # noqa: F401 - the permission matrix's world

pytestmark = pytest.mark.django_db

PUBLIC_UNIT_FIELDS = {
    "id", "name", "name_en", "estate", "isic", "size_class", "export_oriented", "knowledge_based",
    "certifications", "capabilities", "products",
}  # fmt: skip
NEVER_PUBLIC = {"national_id", "licence_number", "phone", "email", "employees", "status_history"}

# API list -> the page's own queryset function (the rows that page lists for the user)
RESOURCES = {
    "/api/v1/estates/": lambda user: estate_rows(user),
    "/api/v1/units/": lambda user: unit_rows(user)[0],
    "/api/v1/organisations/": organisation_rows,
    "/api/v1/requests/": visible_requests,
    "/api/v1/linkages/": linkage_rows,
    "/api/v1/gaps/": gap_rows,
    "/api/v1/matches/": lambda user: permissions.restrict(Match.objects.all(), user, permissions.VIEW),
}


# The later apps' resources: API list -> (the page's own queryset function, the list page it mirrors)
LATER_RESOURCES = {
    "/api/v1/revival-cases/": (case_rows, "revival:case_list"),
    "/api/v1/investors/": (investor_rows, "investment:investor_list"),
    "/api/v1/applications/": (application_rows, "investment:application_list"),
    "/api/v1/contracts/": (contract_rows, "investment:contract_list"),
    "/api/v1/treatment-plants/": (plant_rows, "green:plant_list"),
    "/api/v1/effluent-tests/": (effluent_test_rows, "green:test_list"),
    "/api/v1/compliance-cases/": (compliance_case_rows, "green:case_list"),
    "/api/v1/discharge-limits/": (limit_rows, "green:limit_list"),
    "/api/v1/sewer-connections/": (connection_rows, "green:connection_list"),
    "/api/v1/resource-listings/": (listing_rows, "green:listing_list"),
    "/api/v1/symbiosis-exchanges/": (link_rows, "green:link_list"),
    "/api/v1/exports/": (visible_records, "trade:export_list"),
    "/api/v1/buyer-inputs/": (input_rows, "trade:input_list"),
}


def _all_rows(client: Any, url: str, **headers: Any) -> list[dict[str, Any]]:
    """Every row of a list, following the pagination (cursor or page number)."""
    rows: list[dict[str, Any]] = []
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def _sign_in(client: Any, request: Any, persona: str) -> Any:
    for name in ("manager", "officer", "staff_b", "unit_a_owner", "unit_b_owner", "buyer", "investor"):
        request.getfixturevalue(name)
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_through_the_api_the_rows_and_fields_the_pages_show(
    client,
    request,
    objects,  # noqa: F811 - the fixture imported above
    persona,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    request_row = objects["request"]
    request_row.confidentiality = "anonymous_buyer"  # the buyer has not consented: suppliers never see it
    request_row.save()
    user = _sign_in(client, request, persona) or AnonymousUser()
    for url, page_rows in RESOURCES.items():
        if persona == "anonymous" and url not in ("/api/v1/estates/", "/api/v1/units/"):
            assert client.get(url).status_code == 401, url
            continue
        api_ids = sorted(row["id"] for row in _all_rows(client, url))
        assert api_ids == sorted(page_rows(user).values_list("pk", flat=True)), f"{url} as {persona}"
    if persona == "anonymous":
        return
    staff = permissions.is_staff_member(user)
    for row in _all_rows(client, "/api/v1/units/"):
        if staff:
            assert set(row) >= NEVER_PUBLIC, "staff read the full record"
        else:
            assert set(row) == PUBLIC_UNIT_FIELDS, f"{persona} sees only the public fields"
    knows_buyer = persona in ("manager", "officer", "buyer")
    for url in ("/api/v1/requests/", "/api/v1/linkages/", "/api/v1/invitations/"):
        for row in _all_rows(client, url):
            assert (row["buyer"] is not None) == knows_buyer, f"{url} as {persona}: {row['buyer']}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_the_later_apps_rows_as_their_pages_list_them(
    client,
    request,
    objects,  # noqa: F811 - the fixture imported above
    persona,
) -> None:
    """Revival, investment, green and trade: the same rows as the page's queryset, refused where the page is."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    user = _sign_in(client, request, persona) or AnonymousUser()
    for url, (page_rows, page) in LATER_RESOURCES.items():
        answer = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if persona == "anonymous":
            assert answer.status_code == 401, url
            continue
        page_status = client.get(reverse(page)).status_code
        if page_status == 403:
            assert answer.status_code == 403, f"{url} as {persona}: the page refuses, the API answered"
            assert answer["Content-Type"] == "application/problem+json"
            assert answer.json()["title"] == "You may not do this"
            continue
        assert page_status == 200, (page, persona)
        api_ids = sorted(row["id"] for row in _all_rows(client, url))
        expected = sorted(page_rows(user).values_list("pk", flat=True))
        assert api_ids == expected, f"{url} as {persona}"
        if persona == "manager":
            assert api_ids, f"{url}: the manager sees the matrix world's row"
    if persona == "unit_b_owner":  # another unit's case, test and export are not theirs
        assert _all_rows(client, "/api/v1/revival-cases/") == []
        assert _all_rows(client, "/api/v1/effluent-tests/") == []
        assert (
            client.get(f"/api/v1/exports/{request.getfixturevalue('objects')['export_a'].pk}/").status_code
            == 404
        )


def test_the_later_apps_rows_carry_what_their_pages_show(
    client,
    manager,
    objects,  # noqa: F811
) -> None:
    client.force_login(manager)
    case = client.get(f"/api/v1/revival-cases/{objects['case'].pk}/").json()
    assert case["unit"]["id"] == objects["case"].unit_id
    assert case["stage"] == objects["case"].stage
    assert case["opened_on"] == objects["case"].opened_on.isoformat()
    contract = client.get(f"/api/v1/contracts/{objects['contract'].pk}/").json()
    assert contract["number"] == objects["contract"].number
    assert contract["investor"]["id"] == objects["contract"].application.investor_id
    test = client.get(f"/api/v1/effluent-tests/{objects['effluent_test'].pk}/").json()
    assert test["passed"] is objects["effluent_test"].passed
    export = client.get(f"/api/v1/exports/{objects['export_a'].pk}/").json()
    assert export["value_usd"] == objects["export_a"].value_usd
    assert export["unit"]["id"] == objects["export_a"].unit_id


def test_a_unit_owner_reads_its_own_full_record_and_another_units_public_face(
    client, unit_a, unit_b, unit_a_owner
) -> None:
    client.force_login(unit_a_owner)
    own = client.get(f"/api/v1/units/{unit_a.pk}/").json()
    other = client.get(f"/api/v1/units/{unit_b.pk}/").json()
    assert own["national_id"] == unit_a.national_id
    assert isinstance(own["status_history"], list)
    assert set(other) == PUBLIC_UNIT_FIELDS


def test_an_outsider_gets_a_problem_document_in_persian_or_english(client, manager, estate_b) -> None:
    unit = UnitFactory(estate=estate_b, status="idle")  # not public, another company's
    client.force_login(manager)
    response = client.get(f"/api/v1/units/{unit.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["type"].endswith("/not-found")
    assert body["title"] == "یافت نشد"
    english = client.get(f"/api/v1/units/{unit.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Not found"


def test_a_bad_filter_is_refused_with_the_field_named(client, manager) -> None:
    client.force_login(manager)
    response = client.get("/api/v1/linkages/", {"introduced_to": "1405/13/40"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in body["errors"]] == ["introduced_to"]
    assert body["title"] == "The request is not valid"


def test_jalali_and_gregorian_dates_select_the_same_rows_and_answers_carry_iso_dates(
    client,
    manager,
    objects,  # noqa: F811
) -> None:
    client.force_login(manager)
    today = timezone.localdate()
    from peyvand.core.jalali import jalali_text

    jalali = _all_rows(client, f"/api/v1/linkages/?introduced_to={jalali_text(today)}")
    gregorian = _all_rows(client, f"/api/v1/linkages/?introduced_to={today.isoformat()}")
    before = _all_rows(
        client, f"/api/v1/linkages/?introduced_to={(today - dt.timedelta(days=1)).isoformat()}"
    )
    assert [row["id"] for row in jalali] == [row["id"] for row in gregorian] == [objects["linkage"].pk]
    assert before == []
    assert jalali[0]["introduced_on"] == today.isoformat()


def test_kpis_for_a_date_read_the_same_in_both_calendars_and_anonymous_sees_the_public_ones(
    client, manager
) -> None:
    client.force_login(manager)
    jalali = client.get("/api/v1/kpis/", {"on": "1405/01/01"}).json()
    gregorian = client.get("/api/v1/kpis/", {"on": "2026-03-21"}).json()
    assert jalali == gregorian
    assert jalali["on"] == "2026-03-21"
    staff_codes = {figure["code"] for figure in jalali["figures"]}
    client.logout()
    public = client.get("/api/v1/kpis/", {"on": "2026-03-21"}).json()
    public_codes = {figure["code"] for figure in public["figures"]}
    assert public_codes
    assert public_codes < staff_codes
    future = client.get("/api/v1/kpis/", {"on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()})
    assert future.status_code == 400
    assert future.json()["errors"][0]["field"] == "on"


def test_a_token_is_shown_once_stored_hashed_works_and_stops_working_when_revoked(
    client, unit_a_owner, unit_a
) -> None:
    client.force_login(unit_a_owner)
    page = client.post("/api/tokens/", {"name": "ERP", "days": "30"})
    raw = page.text.split('user-select-all fs-6">')[1].split("<")[0]
    assert raw.startswith("pvd_")
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=unit_a_owner)
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.key_start}
    assert raw not in client.get("/api/tokens/").text  # shown once only
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    own = client.get(f"/api/v1/units/{unit_a.pk}/", **auth).json()
    assert own["national_id"] == unit_a.national_id  # acts as its user, with its rights
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(unit_a_owner)
    client.post(f"/api/tokens/{token.pk}/revoke/")
    client.logout()
    refused = client.get("/api/v1/requests/", **auth)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused_and_nobody_revokes_another_users_token(
    client, manager, unit_a_owner
) -> None:
    from peyvand.api import services

    token, raw = services.create_token(manager, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/requests/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    client.force_login(unit_a_owner)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_requests_are_throttled_per_token(client, manager, monkeypatch) -> None:
    from peyvand.api import services
    from peyvand.api.throttling import PerTokenThrottle

    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/min"})
    cache.clear()
    _token, first = services.create_token(manager, name="one", days=1)
    _token, second = services.create_token(manager, name="two", days=1)
    answers = [
        client.get("/api/v1/estates/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert client.get("/api/v1/estates/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_the_units_list_walks_by_cursor_in_a_fixed_number_of_queries(
    client, manager, estate_a, settings
) -> None:
    client.force_login(manager)

    def count() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            rows = _all_rows(client, "/api/v1/units/?page_size=1000")
        return len(context.captured_queries), len(rows)

    UnitFactory.create_batch(2, estate=estate_a)
    few, rows_few = count()
    UnitFactory.create_batch(8, estate=estate_a)
    many, rows_many = count()
    assert (rows_few, rows_many) == (2, 10)
    assert few == many
    first = client.get("/api/v1/units/", {"page_size": 4}).json()
    assert "cursor=" in first["next"]
    assert len(first["results"]) == 4


def test_the_schema_and_its_documentation_are_served_without_any_external_url(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/units/" in schema.json()["paths"]
    docs = client.get("/api/docs/").text
    assert "http://" not in docs.replace("http://testserver", "")
    assert "https://" not in docs
    assert "swagger-ui" in docs


# --- Writes: the same service as the page -------------------------------------------------------------
@pytest.fixture
def served_buyer(buyer, company_a) -> Any:
    """The buyer persona, as a client of estate company A (a request needs an estate company to broker it)."""
    organisation = buyer.memberships.get().organisation
    organisation.company = company_a
    organisation.save()
    return buyer


def _request_body(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "خرید بدنه شیر",
        "text": "ریخته‌گری تحت فشار آلومینیوم",
        "quote_deadline": "1499/01/15",  # Jalali, as a person in Gilan writes it
        "confidentiality": "anonymous_buyer",
        "quantity": "500",
        "quantity_unit": "عدد",
    }
    return {**body, **changes}


def test_a_buyer_files_a_request_with_a_token_and_suppliers_never_learn_its_name(
    client, served_buyer, unit_a_owner, unit_a
) -> None:
    buyer = served_buyer
    from peyvand.api import services
    from peyvand.sourcing.models import SourcingRequest, SupplierInvitation

    _token, raw = services.create_token(buyer, name="ERP", days=1)
    response = client.post(
        "/api/v1/requests/",
        _request_body(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    filed = SourcingRequest.objects.get(pk=body["id"])
    assert (filed.buyer_id, filed.state, filed.created_by) == (
        buyer.memberships.get().organisation_id,
        "draft",
        buyer,
    )
    assert body["quote_deadline"] == "2120-04-04"
    assert body["buyer"]["id"] == filed.buyer_id
    SupplierInvitation.objects.create(request=filed, unit=unit_a)
    client.force_login(unit_a_owner)
    seen = client.get(f"/api/v1/requests/{filed.pk}/").json()
    assert seen["buyer"] is None


def test_a_bad_request_body_writes_nothing_and_names_the_fields_in_persian(client, served_buyer) -> None:
    buyer = served_buyer
    from peyvand.sourcing.models import SourcingRequest

    client.force_login(buyer)
    response = client.post(
        "/api/v1/requests/",
        _request_body(quote_deadline="1380/01/01", text=" "),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"quote_deadline", "text"}
    assert response.json()["title"] == "درخواست معتبر نیست"
    assert not SourcingRequest.objects.exists()


def test_a_supplier_may_not_file_a_request_and_a_buyer_edits_only_the_fields_it_sends(
    client, served_buyer, unit_a_owner
) -> None:
    buyer = served_buyer
    client.force_login(unit_a_owner)
    refused = client.post("/api/v1/requests/", _request_body(), content_type="application/json")
    assert refused.status_code == 403
    client.force_login(buyer)
    made = client.post("/api/v1/requests/", _request_body(), content_type="application/json").json()
    changed = client.patch(
        f"/api/v1/requests/{made['id']}/", {"title": "خرید بدنه شیر برنجی"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "خرید بدنه شیر برنجی"
    assert changed.json()["text"] == made["text"]
    assert changed.json()["quantity"] == made["quantity"]


def test_save_request_takes_cleaned_values_and_refuses_loosening_a_published_request(manager, buyer) -> None:
    from django.core.exceptions import ValidationError

    from peyvand.sourcing import services

    organisation = buyer.memberships.get().organisation
    organisation.company = manager.memberships.get().organisation
    organisation.save()
    values = {
        "buyer": organisation,
        "title": "خرید قالب",
        "text": "قالب‌سازی",
        "quote_deadline": timezone.localdate() + dt.timedelta(days=30),
        "confidentiality": "anonymous_buyer",
    }
    request_row = services.save_request(None, values, by=manager)
    assert request_row.company_id == organisation.company_id
    assert request_row.created_by == manager
    request_row.state = "published"
    request_row.save()
    with pytest.raises(ValidationError):
        services.save_request(request_row, {"confidentiality": "public"}, by=manager)
    request_row.refresh_from_db()
    assert request_row.confidentiality == "anonymous_buyer"


def test_a_path_no_resource_answers_is_a_problem_document_under_api_and_a_page_elsewhere(
    client, settings
) -> None:
    settings.DEBUG = False
    response = client.get("/api/v1/units/not-a-number/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"
    page = client.get("/units/not-a-number/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_supplier_quotes_through_the_api_and_a_bad_answer_writes_nothing(client, objects) -> None:  # noqa: F811
    from peyvand.sourcing.models import SupplierInvitation

    invitation = objects["invitation_a"]
    owner = objects["unit_a"].organisation.memberships.get().user
    client.force_login(owner)
    url = f"/api/v1/invitations/{invitation.pk}/answer/"
    bad = client.post(url, {"answer": "quote", "price_rial": 0}, content_type="application/json")
    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["errors"]} == {"price_rial", "lead_time_days"}
    assert SupplierInvitation.objects.get(pk=invitation.pk).state == "invited"
    done = client.post(
        url,
        {"answer": "quote", "price_rial": 1_200_000, "lead_time_days": 20},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert (done.json()["state"], done.json()["price_rial"]) == ("quoted", 1_200_000)
    again = client.post(
        url, {"answer": "decline", "decline_reason": "price"}, content_type="application/json"
    )
    assert again.status_code == 400  # already answered: the service's rule, whichever door
    assert SupplierInvitation.objects.get(pk=invitation.pk).state == "quoted"


def test_a_unit_updates_its_profile_and_products_through_the_api_and_only_its_own_fields(
    client, unit_a, unit_a_owner, manager
) -> None:
    from peyvand.units.models import Product

    kept = Product.objects.create(unit=unit_a, name="برنج طارم")
    Product.objects.create(unit=unit_a, name="سبوس")
    client.force_login(unit_a_owner)
    url = f"/api/v1/units/{unit_a.pk}/"
    refused = client.patch(url, {"national_id": "10100000009"}, content_type="application/json")
    assert refused.status_code == 403  # a registry fact: staff only
    bad = client.patch(
        url,
        {"capacity": "۹۰۰ تن", "products": [{"id": kept.pk}, {"name": ""}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert [error["field"] for error in bad.json()["errors"]] == ["products.1.name"]
    unit_a.refresh_from_db()
    assert unit_a.capacity != "۹۰۰ تن"
    assert unit_a.products.count() == 2
    done = client.patch(
        url,
        {
            "capacity": "۹۰۰ تن",
            "products": [{"id": kept.pk, "annual_capacity": "900"}, {"name": "برنج هاشمی"}],
        },
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert sorted(p["name"] for p in done.json()["products"]) == ["برنج طارم", "برنج هاشمی"]
    unit_a.refresh_from_db()
    assert unit_a.capacity == "۹۰۰ تن"
    client.force_login(manager)
    staff = client.patch(url, {"national_id": "10100000009"}, content_type="application/json")
    assert staff.status_code == 200
    assert staff.json()["national_id"] == "10100000009"


@pytest.mark.parametrize("url", ["/api/v1/requests/", "unit", "answer"])
def test_a_body_that_is_not_an_object_is_refused_not_a_server_error(client, objects, manager, url) -> None:  # noqa: F811
    owner = objects["unit_a"].organisation.memberships.get().user
    client.force_login(manager if url == "/api/v1/requests/" else owner)
    target = {
        "unit": f"/api/v1/units/{objects['unit_a'].pk}/",
        "answer": f"/api/v1/invitations/{objects['invitation_a'].pk}/answer/",
    }.get(url, url)
    send = client.patch if url == "unit" else client.post
    response = send(target, "[null, null]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] is None


def test_a_query_string_too_long_is_refused_with_a_documented_problem(client, manager) -> None:
    """Before the front server's limit (gunicorn: 4094 bytes) the API answers a problem document (414),
    and the schema documents 414 (the problem, or the front server's HTML page) on every operation."""
    client.force_login(manager)
    long_query = "search=" + "a" * 2100
    response = client.get(f"/api/v1/exports/?{long_query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 414
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "The address is too long"
    assert "2048" in body["detail"]
    persian = client.get(f"/api/v1/units/?{long_query}", HTTP_ACCEPT_LANGUAGE="fa")
    assert persian.status_code == 414
    assert persian.json()["title"] == "نشانی بیش از حد بلند است"
    assert client.get("/api/v1/exports/?search=" + "a" * 100).status_code == 200
    schema = client.get("/api/schema/", {"format": "json"}).json()
    answers = schema["paths"]["/api/v1/exports/"]["get"]["responses"]["414"]["content"]
    assert set(answers) == {"application/problem+json", "text/html"}


def test_a_date_filter_quoting_a_percent_sign_is_refused_not_a_server_error(client, manager) -> None:
    """schemathesis sent ``contracted_to=%X…``: the refusal quotes the value, which must not be a format."""
    client.force_login(manager)
    response = client.get("/api/v1/linkages/", {"contracted_to": "12%X"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert [error["field"] for error in body["errors"]] == ["contracted_to"]
    assert "12%X" in body["errors"][0]["messages"][0]


def test_an_effluent_test_unit_filter_no_id_can_be_selects_nothing_not_a_server_error(
    client,
    manager,
    objects,  # noqa: F811
) -> None:
    """schemathesis sent ``unit=-5.46342607601114e+126`` (a 500 from the database before)."""
    client.force_login(manager)
    unit_id = objects["effluent_test"].unit_id
    own = client.get("/api/v1/effluent-tests/", {"unit": str(unit_id)})
    assert [row["id"] for row in own.json()["results"]] == [objects["effluent_test"].pk]
    for value in ("-5.46342607601114e+126", "1.1", "99999999999999999999"):
        response = client.get("/api/v1/effluent-tests/", {"unit": value})
        assert response.status_code == 200, value
        assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("sent", "status", "stored"), [(0, 400, True), ("no", 400, True), (False, 200, False)]
)
def test_a_units_yes_no_field_takes_true_or_false_only(client, unit_a, manager, sent, status, stored) -> None:
    """The profile's checkboxes read any text but "false" and "" as ticked: a JSON 0 was stored as yes."""
    unit_a.export_oriented = True
    unit_a.save(update_fields=["export_oriented"])
    client.force_login(manager)
    response = client.patch(
        f"/api/v1/units/{unit_a.pk}/", {"export_oriented": sent}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    unit_a.refresh_from_db()
    assert unit_a.export_oriented is stored
