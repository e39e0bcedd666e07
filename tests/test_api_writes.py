"""The later apps' writes through the API: the page's service writes (its timeline shows it), an edit keeps
what it does not send, a deletion is the company's, and bad values are refused with the page's messages as
a problem document in Persian or English, writing nothing."""

from __future__ import annotations

import pytest

from peyvand.core.audit import timeline
from peyvand.revival.models import RevivalCase
from peyvand.trade.models import ExportRecord

from .matrix_support import _fingerprint, _today
from .matrix_world import objects  # noqa: F401 - the permission matrix's world

pytestmark = pytest.mark.django_db


def test_a_diagnosis_posted_to_the_api_is_recorded_by_the_service_on_the_case_timeline(
    client,
    objects,  # noqa: F811
    manager,
) -> None:
    client.force_login(manager)
    case = objects["case"]
    before = len(timeline(case))
    response = client.post(
        f"/api/v1/revival-cases/{case.pk}/diagnosis/",
        {"diagnosis_visit_on": _today(), "severity_working_capital": 3, "diagnosis": "كمبود سرمايه"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["causes"] == [{"cause": "working_capital", "severity": 3}]
    assert len(timeline(case)) > before


@pytest.mark.parametrize(
    ("language", "message"),
    [("fa", "عدد"), ("en", "number")],
)
def test_hostile_values_get_a_problem_in_the_callers_language_and_write_nothing(
    client,
    objects,  # noqa: F811
    manager,
    language,
    message,
) -> None:
    client.force_login(manager)
    before = _fingerprint()
    response = client.post(
        f"/api/v1/revival-cases/{objects['case'].pk}/outcome/",
        {"jobs_restored": "<script>alert(1)</script>", "note": "يك"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = {row["field"]: " ".join(row["messages"]) for row in response.json()["errors"]}
    assert message in errors["jobs_restored"].lower()
    date = client.post(
        f"/api/v1/revival-cases/{objects['case'].pk}/return/",
        {"to_status": "operating", "cause": "revival_support", "date": "۱۴۰۵/۱۳/۴۰"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert date.status_code == 400
    assert "date" in {row["field"] for row in date.json()["errors"]}
    assert _fingerprint() == before


def test_persian_digits_are_read_as_numbers(client, objects, manager) -> None:  # noqa: F811
    client.force_login(manager)
    case = objects["case"]
    RevivalCase.objects.filter(pk=case.pk).update(stage="still_idle")
    response = client.post(
        f"/api/v1/revival-cases/{case.pk}/outcome/",
        {"jobs_restored": "۱۲", "note": "<b>بازار</b>"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.jobs_restored == 12


def test_an_export_edit_changes_what_it_sends_and_only_staff_correct_a_customs_figure(
    client,
    objects,  # noqa: F811
    manager,
    unit_a_owner,
    buyer,
) -> None:
    record = objects["export_a"]
    url = f"/api/v1/exports/{record.pk}/"
    client.force_login(unit_a_owner)
    assert client.patch(url, {"note": "x"}, content_type="application/json").status_code == 403
    client.force_login(buyer)
    assert client.patch(url, {"note": "x"}, content_type="application/json").status_code == 404
    client.force_login(manager)
    response = client.patch(url, {"note": "رقم گمرک اصلاح شد"}, content_type="application/json")
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert (record.note, record.product, record.value_usd) == ("رقم گمرک اصلاح شد", "برنج", 1000)


def test_only_the_company_deletes_an_export_record(
    client,
    objects,  # noqa: F811
    officer,
    unit_a_owner,
    buyer,
) -> None:
    record = objects["export_a"]
    url = f"/api/v1/exports/{record.pk}/"
    for user, answer in ((buyer, 404), (unit_a_owner, 403)):
        client.force_login(user)
        assert client.delete(url).status_code == answer
    assert ExportRecord.objects.filter(pk=record.pk).exists()
    client.force_login(officer)
    assert client.delete(url).status_code == 204
    assert not ExportRecord.objects.filter(pk=record.pk).exists()
    assert client.get(url).status_code == 404


def test_hs_codes_are_suggested_for_a_product_as_on_the_export_form(client, manager) -> None:
    client.force_login(manager)
    response = client.get("/api/v1/exports/hs-suggestions/", {"product": "برنج"})
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_a_land_use_plan_is_set_by_staff_who_change_the_estate_keeping_what_is_not_sent(
    client,
    objects,  # noqa: F811
    manager,
    officer,
) -> None:
    from peyvand.investment.models import LandUse

    estate = objects["estate_a"]
    url = f"/api/v1/land-use-plans/{estate.pk}/"
    client.force_login(officer)
    assert client.get(url).json()["land_use"] is None
    assert client.patch(url, {"admitted_isic": "C 10"}, content_type="application/json").status_code == 403
    client.force_login(manager)
    before = _fingerprint()
    refused = client.patch(url, {"admitted_isic": "C XYZ"}, content_type="application/json")
    assert refused.status_code == 400
    errors = {row["field"]: " ".join(row["messages"]) for row in refused.json()["errors"]}
    assert "XYZ" in errors["admitted_isic"]
    assert "ISIC" in errors["admitted_isic"]
    assert _fingerprint() == before
    response = client.patch(
        url, {"admitted_isic": "c ۱۰", "water_left_m3_day": "۴۰۰"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["land_use"]["admitted_isic"] == "C 10"
    client.patch(url, {"power_left_kw": "5000"}, content_type="application/json")
    plan = LandUse.objects.get(estate=estate)
    assert (plan.admitted_isic, plan.water_left_m3_day, plan.power_left_kw) == ("C 10", 400, 5000)
    shown = {row.pk: row.land_use for row in client.get("/investment/land-use/").context["page"]}
    assert shown[estate.pk].admitted_isic == "C 10"


def test_the_screening_weights_are_set_by_the_companys_reviewers_only(client, manager, officer) -> None:
    from peyvand.investment import services

    client.force_login(officer)
    read = client.get("/api/v1/screening-weights/").json()
    assert read["may_edit"] is False
    assert client.post("/api/v1/screening-weights/", {"knowledge_based": 17}).status_code == 403
    client.force_login(manager)
    before = services.weights_for(read["company"])
    refused = client.post(
        "/api/v1/screening-weights/", {"knowledge_based": "۲۰۰"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "knowledge_based"
    assert services.weights_for(read["company"]) == before
    saved = client.post(
        "/api/v1/screening-weights/", {"knowledge_based": "۱۷"}, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["weights"] == {**before, "knowledge_based": 17}
    assert services.weights_for(read["company"]) == {**before, "knowledge_based": 17}
