"""No answer tells one estate company about another company's units (issue 9 item 3).

"Why not?" on a request and the units import dry run look units up by name or national ID; a unit of
another company is neither named nor described: the answer says only that it is outside the scope, and
reads the same whether or not such a unit exists.
"""

from __future__ import annotations

import re

import pytest

from .factories import EstateFactory, UnitFactory
from .sourcing_world import build_world
from .test_import_units import import_data, xlsx

pytestmark = pytest.mark.django_db

OTHER_NAME = "ریخته‌گری تحت فشار مازندران"
OTHER_ID = "10100000777"


@pytest.fixture
def other_company_unit(company_b):
    """An idle unit of the other estate company, with its own description."""
    return UnitFactory(
        estate=EstateFactory(company=company_b, name="شهرک صنعتی ساری"),
        name=OTHER_NAME,
        national_id=OTHER_ID,
        status="idle",
        description="قالب‌سازی و دایکست قطعات خودرو",
    )


def _why_not_block(html: str) -> str:
    found = re.search(r'data-testid="why-not".*?</ul>', html, re.S)
    assert found, "the page answers the question"
    return found.group(0)


def test_why_not_does_not_name_or_describe_another_companys_unit(
    client, estate_a, buyer, officer, other_company_unit
) -> None:
    request, _units = build_world(estate_a, buyer)
    client.force_login(officer)
    page = client.get(f"/sourcing/requests/{request.pk}/", {"unit": "ریخته گری تحت فشار مازندران"})
    assert page.status_code == 200
    answer = _why_not_block(page.text)
    assert OTHER_NAME not in page.text
    assert "راکد" not in answer  # its status
    assert "واحدهای بیرون از آن" in answer  # "…units outside it are not answered for" (in Persian)
    # The same answer as for a name nobody registered: existence is not told either.
    nobody = client.get(f"/sourcing/requests/{request.pk}/", {"unit": "واحدی که وجود ندارد"})
    assert _why_not_block(nobody.text) == answer


def test_why_not_still_explains_a_unit_of_ones_own_company(client, estate_a, buyer, officer) -> None:
    request, _units = build_world(estate_a, buyer)
    client.force_login(officer)
    page = client.get(f"/sourcing/requests/{request.pk}/", {"unit": "ریخته گری تحت فشار خاموش"})
    assert "ریخته‌گری تحت فشار خاموش" in _why_not_block(page.text)
    assert "راکد" in _why_not_block(page.text)


def test_an_import_dry_run_does_not_reveal_another_companys_unit_from_its_national_id(
    tmp_path, estate_a, manager, other_company_unit
) -> None:
    rows = [
        ["نام واحد", "شناسه ملی", "شهرک", "وضعیت"],
        ["هر نامی", OTHER_ID, estate_a.name, "فعال"],
    ]
    code, output = import_data(
        "units", str(xlsx(tmp_path / "probe.xlsx", rows)), "--user", "manager_a", "--lang", "en"
    )
    assert code == 1
    assert OTHER_NAME not in output
    assert "idle" not in output
    assert "This unit is outside your scope; the row is held for review." in output


def test_an_import_dry_run_by_the_owning_company_still_matches_its_unit(
    tmp_path, company_b, staff_b, other_company_unit
) -> None:
    rows = [["نام واحد", "شناسه ملی", "شهرک", "کارکنان"], [OTHER_NAME, OTHER_ID, "شهرک صنعتی ساری", 30]]
    code, output = import_data(
        "units", str(xlsx(tmp_path / "own.xlsx", rows)), "--user", "manager_b", "--lang", "en"
    )
    assert code == 0, output
    assert "outside your scope" not in output
