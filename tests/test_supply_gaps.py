"""A supply gap is opened only from what a request really requires (VOCABULARY: qualified supplier)."""

from __future__ import annotations

import pytest

from peyvand.sourcing import services
from peyvand.sourcing.models import GapTicket, Match

from .sourcing_world import build_world, capability
from .test_sourcing import _publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(estate_a, buyer, officer, manager):
    return build_world(estate_a, buyer)


def test_a_request_without_tags_is_judged_by_the_capabilities_in_its_text(
    client, world, buyer, officer
) -> None:
    request, units = world
    request.capabilities.clear()  # "ریخته‌گری تحت فشار" is still in its text
    _publish(request, buyer, officer)
    # Three producing die-casting units qualify: no false "0 qualified" gap.
    assert not GapTicket.objects.filter(request=request).exists()
    qualified = set(Match.objects.filter(request=request, qualified=True).values_list("unit_id", flat=True))
    assert qualified == {units["best"].pk, units["second"].pk, units["uncertified"].pk}
    client.force_login(officer)
    page = client.get(f"/sourcing/requests/{request.pk}/")
    assert 'data-testid="needs-from-text"' in page.text
    assert capability("metal.die_casting").name in page.text


def test_a_request_whose_needs_are_unknown_opens_no_gap_and_asks_for_tags(
    client, world, buyer, officer
) -> None:
    request, _units = world
    request.capabilities.clear()
    request.title, request.text = "خرید عمومی", "لطفاً پیشنهاد خود را بفرستید."
    request.save()
    _publish(request, buyer, officer)
    assert not GapTicket.objects.filter(request=request).exists()
    client.force_login(officer)
    page = client.get(f"/sourcing/requests/{request.pk}/")
    assert 'data-testid="needs-unknown"' in page.text


def test_a_tagged_request_with_too_few_qualified_suppliers_still_opens_a_gap(world, buyer, officer) -> None:
    request, _units = world
    request.capabilities.set([capability("food.tea_processing"), capability("metal.die_casting")])
    _publish(request, buyer, officer)
    gap = GapTicket.objects.get(request=request)
    # Tea processing and die casting together: nobody holds both.
    assert gap.qualified_count == 0
    assert list(gap.missing.values_list("code", flat=True)) == ["food.tea_processing"]


def test_without_tags_only_what_the_title_names_is_required_not_the_packing_beside_it(world) -> None:
    request, _units = world
    request.capabilities.clear()
    request.title = "چای سیاه ارتدکس"
    request.text = (
        "۱۵ تن چای سیاه ارتدکس، بسته‌بندی در کیسه کاغذی کرافت ۲۵ کیلویی، با گزارش آزمون باقیمانده سموم."
    )
    request.save()
    assert services.needed_capabilities(request) == ({capability("food.tea_processing").pk}, "text")
