"""Classification trees: the bundled Persian lists, and idempotent loaders for the official files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from peyvand.taxonomy.models import Classification

pytestmark = pytest.mark.django_db
OFFICIAL = Path(settings.SHARED_DIR) / "data"
needs_shared = pytest.mark.skipif(not (OFFICIAL / "isic4").is_dir(), reason="../shared/data is not present")


def test_a_fresh_install_has_every_isic_class_and_hs_heading_in_persian() -> None:
    isic = Classification.objects.filter(scheme="isic4")
    hs = Classification.objects.filter(scheme="hs2022")
    assert isic.filter(level="class").count() == 419
    assert isic.filter(level="section").count() == 21
    assert hs.filter(level="chapter").count() == 97
    assert hs.filter(level="heading").count() == 1229
    assert not isic.filter(name="").exists()
    assert not hs.filter(name="").exists()
    assert not Classification.objects.filter(name__regex="[يك]").exists()


def test_the_tree_links_each_class_to_its_group_division_and_section() -> None:
    bakery = Classification.objects.get(scheme="isic4", code="1071")
    assert [bakery.parent.code, bakery.parent.parent.code, bakery.parent.parent.parent.code] == [
        "107",
        "10",
        "C",
    ]
    heading = Classification.objects.get(scheme="hs2022", code="0902")
    assert heading.parent.code == "09"
    assert "چای" in heading.name


@needs_shared
def test_loading_the_official_files_twice_changes_nothing_the_second_time() -> None:
    out = StringIO()
    call_command("load_isic", str(OFFICIAL / "isic4"), stdout=out)
    call_command("load_hs", str(OFFICIAL / "hs2022"), stdout=out)
    persian_before = dict(Classification.objects.filter(scheme="isic4").values_list("code", "name"))
    again = StringIO()
    call_command("load_isic", str(OFFICIAL / "isic4"), stdout=again)
    call_command("load_hs", str(OFFICIAL / "hs2022"), stdout=again)
    assert again.getvalue().count("0 created, 0 updated") == 2
    assert Classification.objects.filter(scheme="hs2022", level="subheading").count() == 5613
    assert dict(Classification.objects.filter(scheme="isic4").values_list("code", "name")) == persian_before


def test_a_file_of_the_wrong_kind_is_refused_with_a_message(tmp_path) -> None:
    wrong = tmp_path / "units.csv"
    wrong.write_text("name,estate\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not an ISIC"):
        call_command("load_isic", str(wrong))
    with pytest.raises(CommandError, match="not an HS"):
        call_command("load_hs", str(wrong))
    with pytest.raises(CommandError, match="No HS file"):
        call_command("load_hs", str(tmp_path / "missing.csv"))
