"""Green estates' writes through the API: each goes through the page's form and service and shows on the
page; an edit changes only what it sends; those the page refuses are refused; bad values get the page's
messages as a problem document in Persian (or English), writing nothing. Who may POST each write: the
permission matrix (tests/post_matrix_api.py)."""

from __future__ import annotations

from typing import Any

import pytest

from peyvand.green.models import DischargeLimit, ResourceListing, SymbiosisLink, TreatmentPlant

from .matrix_support import _fingerprint, _today
from .matrix_world import objects  # noqa: F401 - the permission matrix's world

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _errors(response: Any) -> dict[str | None, str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {row["field"]: " ".join(row["messages"]) for row in response.json()["errors"]}


def test_a_plant_registered_moved_and_reported_through_the_api_shows_on_its_page(
    client,
    objects,  # noqa: F811
    manager,
) -> None:
    client.force_login(manager)
    created = client.post(
        "/api/v1/treatment-plants/",
        {
            "name": "تصفیه‌خانه فاز سه",
            "estates": [objects["estate_a"].pk],
            "capacity_m3_day": "۳۰۰۰",
            "technology": "mbbr",
            "initial_stage": "planned",
            "stage_since": "1404/01/15",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    plant = created.json()
    assert (plant["capacity_m3_day"], plant["stage"], plant["stage_since"]) == (3000, "planned", "2025-04-04")
    url = f"/api/v1/treatment-plants/{plant['id']}/"
    moved = client.post(url + "stage/", {"to_stage": "design", "date": _today()}, content_type=JSON)
    assert moved.status_code == 200, moved.content
    reported = client.post(url + "progress/", {"date": _today(), "percent": "۲۰"}, content_type=JSON)
    assert reported.status_code == 200, reported.content
    assert reported.json()["progress_percent"] == 20
    page = client.get(f"/green/plants/{plant['id']}/")
    assert (page.context["plant"].stage, page.context["plant"].progress_percent) == ("design", 20)
    assert "تصفیه‌خانه فاز سه" in page.content.decode()


@pytest.mark.parametrize(("language", "message"), [("fa", "مساوی 100"), ("en", "less than or equal to 100")])
def test_a_bad_progress_report_or_stage_is_a_problem_in_the_callers_language_and_writes_nothing(
    client,
    objects,  # noqa: F811
    manager,
    language,
    message,
) -> None:
    client.force_login(manager)
    url = f"/api/v1/treatment-plants/{objects['plant'].pk}/"
    before = _fingerprint()
    report = client.post(
        url + "progress/",
        {"date": _today(), "percent": "۱۵۰"},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert message in _errors(report)["percent"]
    stage = client.post(url + "stage/", {"to_stage": "planned", "date": "1405/13/40"}, content_type=JSON)
    assert set(_errors(stage)) == {"to_stage", "date"}  # never back to planned
    assert _fingerprint() == before


def test_a_plant_edit_changes_only_what_it_sends_and_only_for_its_company(
    client,
    objects,  # noqa: F811
    manager,
    staff_b,
    unit_a_owner,
) -> None:
    plant = objects["plant"]
    url = f"/api/v1/treatment-plants/{plant.pk}/"
    for outsider in (staff_b, unit_a_owner):
        client.force_login(outsider)
        assert client.patch(url, {"contractor": "x"}, content_type=JSON).status_code == 404
    client.force_login(manager)
    response = client.patch(url, {"contractor": "پیمانکار نو"}, content_type=JSON)
    assert response.status_code == 200, response.content
    stored = TreatmentPlant.objects.get(pk=plant.pk)
    assert (stored.contractor, stored.name, stored.technology) == (
        "پیمانکار نو",
        plant.name,
        plant.technology,
    )
    assert list(stored.estates.all()) == [objects["estate_a"]]


def test_a_limit_is_edited_by_the_companys_managers_and_a_minimum_above_the_maximum_is_refused(
    client,
    objects,  # noqa: F811
    manager,
    officer,
    staff_b,
) -> None:
    limit = objects["limit"]
    url = f"/api/v1/discharge-limits/{limit.pk}/"
    for user, answer in ((staff_b, 404), (officer, 403)):
        client.force_login(user)
        assert client.patch(url, {"maximum": "1"}, content_type=JSON).status_code == answer
    client.force_login(manager)
    before = _fingerprint()
    refused = client.patch(url, {"minimum": str(limit.maximum + 5)}, content_type=JSON)
    assert _errors(refused)[None].startswith("کمینه نمی‌تواند از بیشینه بیشتر باشد.")
    assert _fingerprint() == before
    response = client.patch(url, {"maximum": "۹۹۹"}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert DischargeLimit.objects.get(pk=limit.pk).maximum == 999
    grid = client.get("/green/limits/").content.decode()
    assert "۹۹۹" in grid or "999" in grid


def test_a_units_connection_is_recorded_by_its_companys_staff_and_read_back_as_the_page_lists_it(
    client,
    objects,  # noqa: F811
    officer,
    staff_b,
    unit_a_owner,
) -> None:
    unit = objects["unit_a"]
    url = f"/api/v1/sewer-connections/{unit.pk}/"
    client.force_login(unit_a_owner)
    assert client.get("/api/v1/sewer-connections/").status_code == 403
    for user in (unit_a_owner, staff_b):
        client.force_login(user)
        assert (
            client.patch(url, {"connected": True, "connected_on": _today()}, content_type=JSON).status_code
            == 404
        )
    client.force_login(officer)
    assert client.get(url).json()["connection"] is None
    before = _fingerprint()
    assert "connected_on" in _errors(client.patch(url, {"connected": True}, content_type=JSON))
    assert _fingerprint() == before
    response = client.patch(url, {"connected": True, "connected_on": _today()}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["connection"]["connected"] is True
    assert response.json()["connection"]["receiving_body"] == "sewer"
    listed = {row["id"]: row for row in client.get("/api/v1/sewer-connections/").json()["results"]}
    assert listed[unit.pk]["connection"]["connected"] is True
    unit.refresh_from_db()
    assert unit.connection.connected


def test_a_failed_effluent_test_opens_a_case_that_its_companys_staff_resolve_once(
    client,
    objects,  # noqa: F811
    manager,
    unit_a_owner,
) -> None:
    client.force_login(unit_a_owner)
    body = {
        "unit": objects["unit_a"].pk,
        "sampled_on": _today(),
        "lab": "آزمایشگاه",
        "receiving_body": "sewer",
    }
    assert (
        client.post("/api/v1/effluent-tests/", {**body, "cod": "5000"}, content_type=JSON).status_code == 403
    )
    client.force_login(manager)
    before = _fingerprint()
    empty = client.post("/api/v1/effluent-tests/", body, content_type=JSON)
    assert _errors(empty)[None] == "دست‌کم یک شاخص اندازه‌گیری‌شده را وارد کنید."
    assert _fingerprint() == before
    failed = client.post("/api/v1/effluent-tests/", {**body, "cod": "۵۰۰۰"}, content_type=JSON)
    assert failed.status_code == 201, failed.content
    assert failed.json()["passed"] is False
    case = client.get("/api/v1/compliance-cases/", {"state": "open"}).json()["results"][0]
    assert case["test"] == failed.json()["id"]
    resolve = f"/api/v1/compliance-cases/{case['id']}/resolve/"
    resolved = client.post(resolve, {"date": _today(), "resolution": "پیش‌تصفیه نصب شد"}, content_type=JSON)
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["state"] == "resolved"
    assert client.get(f"/green/cases/{case['id']}/").context["case"].state == "resolved"
    again = client.post(resolve, {"date": _today(), "resolution": "دوباره"}, content_type=JSON)
    assert again.status_code == 403


def test_a_unit_lists_a_have_and_edits_only_its_own(
    client,
    objects,  # noqa: F811
    unit_a_owner,
    unit_b_owner,
) -> None:
    client.force_login(unit_a_owner)
    body = {"unit": objects["unit_a"].pk, "direction": "have", "material": "sawdust", "tonnes_per_year": "۱۲"}
    created = client.post("/api/v1/resource-listings/", body, content_type=JSON)
    assert created.status_code == 201, created.content
    listing = created.json()
    assert (listing["tonnes_per_year"], listing["form"], listing["active"]) == ("12.0", "solid", True)
    assert listing["id"] in [row.pk for row in client.get("/green/resources/").context["table"].data]
    url = f"/api/v1/resource-listings/{listing['id']}/"
    client.force_login(unit_b_owner)
    assert client.patch(url, {"description": "x"}, content_type=JSON).status_code == 404
    assert client.post("/api/v1/resource-listings/", body, content_type=JSON).status_code == 400
    client.force_login(unit_a_owner)
    response = client.patch(
        url, {"description": "خاک‌اره چوب راش", "unit": objects["unit_b"].pk}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    stored = ResourceListing.objects.get(pk=listing["id"])
    assert (stored.description, stored.unit, stored.material) == (
        "خاک‌اره چوب راش",
        objects["unit_a"],
        "sawdust",
    )


def test_an_exchange_started_and_moved_through_the_api_shows_on_its_page(
    client,
    objects,  # noqa: F811
    officer,
    unit_a_owner,
) -> None:
    have = ResourceListing.objects.create(
        unit=objects["unit_a"], direction="have", material="rice_bran", description="سبوس", tonnes_per_year=50
    )
    want = ResourceListing.objects.create(
        unit=objects["unit_b"],
        direction="want",
        material="rice_bran",
        description="خوراک",
        tonnes_per_year=40,
    )
    client.force_login(officer)
    before = _fingerprint()
    assert set(_errors(client.post("/api/v1/symbiosis-exchanges/", {"have": "x"}, content_type=JSON))) == {
        "have",
        "want",
    }
    assert _fingerprint() == before
    started = client.post(
        "/api/v1/symbiosis-exchanges/", {"have": have.pk, "want": want.pk}, content_type=JSON
    )
    assert started.status_code == 201, started.content
    exchange = started.json()
    assert (exchange["stage"], exchange["have_unit"]["id"]) == ("introduced", objects["unit_a"].pk)
    move = f"/api/v1/symbiosis-exchanges/{exchange['id']}/move/"
    client.force_login(unit_a_owner)
    assert client.post(move, {"to_stage": "trial", "date": _today()}, content_type=JSON).status_code == 403
    client.force_login(officer)
    moved = client.post(
        move, {"to_stage": "trial", "date": _today(), "tonnes_per_year": "۳۰"}, content_type=JSON
    )
    assert moved.status_code == 200, moved.content
    assert [step["to_stage"] for step in moved.json()["steps"]] == ["introduced", "trial"]
    assert client.get(f"/green/symbiosis/exchanges/{exchange['id']}/").context["link"].stage == "trial"
    assert SymbiosisLink.objects.get(pk=exchange["id"]).tonnes_per_year == 30


# A JSON string may spell a lone UTF-16 surrogate ("\ud800"); Python reads it into a str that no UTF-8
# encoder takes: the database (saving it) and the problem document (quoting it) both raised — a 500.
LONE_SURROGATE = '"\\ud800"'


@pytest.mark.parametrize(
    ("persona", "url", "body"),
    [
        (
            "manager",
            "/api/v1/treatment-plants/",
            '{"name": %s, "estates": [ESTATE], "capacity_m3_day": 10, '
            '"technology": "sbr", "initial_stage": "planned", "stage_since": "1404/01/15"}',
        ),
        ("manager", "/api/v1/treatment-plants/", '{"technology": %s}'),
        (
            "unit_a_owner",
            "/api/v1/resource-listings/",
            '{"unit": UNIT, "direction": "have", '
            '"material": "sawdust", "tonnes_per_year": 5, "description": %s}',
        ),
        ("unit_a_owner", "/api/v1/resource-listings/", '{"unit": UNIT, "direction": %s}'),
        ("manager", "/api/v1/screening-weights/", "{%s: 5}"),
    ],
)
def test_a_lone_surrogate_in_a_json_body_is_a_400_and_writes_nothing(
    client,
    objects,  # noqa: F811
    request,
    persona,
    url,
    body,
) -> None:
    client.force_login(request.getfixturevalue(persona))
    client.raise_request_exception = False
    body = body.replace("ESTATE", str(objects["estate_a"].pk)).replace("UNIT", str(objects["unit_a"].pk))
    before = (TreatmentPlant.objects.count(), ResourceListing.objects.count())
    response = client.post(url, body % LONE_SURROGATE, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"] == "The JSON body holds text that is not valid Unicode."
    assert (TreatmentPlant.objects.count(), ResourceListing.objects.count()) == before


@pytest.mark.parametrize("sent", [0, "0", "no", "off", [], {"a": 1}])
def test_a_boolean_sent_as_anything_but_true_or_false_is_refused_not_read_as_yes(
    client,
    objects,  # noqa: F811
    officer,
    sent,
) -> None:
    """The page's checkbox reads any text but "false" and "" as ticked: a JSON 0, "0", "no" or "off" was
    stored as yes (a listing kept active, a unit recorded as connected)."""
    client.force_login(officer)
    url = f"/api/v1/sewer-connections/{objects['unit_a'].pk}/"
    before = _fingerprint()
    response = client.patch(
        url, {"connected": sent, "pretreatment_in_place": sent}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _errors(response) == {
        "connected": "Send true or false.",
        "pretreatment_in_place": "Send true or false.",
    }
    assert _fingerprint() == before
    listing = objects["have"]
    response = client.patch(f"/api/v1/resource-listings/{listing.pk}/", {"active": sent}, content_type=JSON)
    assert "active" in _errors(response)
    listing.refresh_from_db()
    assert listing.active is True


@pytest.mark.parametrize(("sent", "stored"), [(True, True), (False, False), ("true", True), ("false", False)])
def test_a_boolean_sent_as_true_or_false_is_stored_as_sent(
    client,
    objects,  # noqa: F811
    officer,
    sent,
    stored,
) -> None:
    client.force_login(officer)
    url = f"/api/v1/sewer-connections/{objects['unit_a'].pk}/"
    response = client.patch(url, {"pretreatment_in_place": sent}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["connection"]["pretreatment_in_place"] is stored
