"""Every state and kind shown as a badge has its own colour, declared once with its choices."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation

from peyvand.core.choices import BadgeColour, badge_colours, label_of
from peyvand.core.templatetags.peyvand import _CHOICES, badge
from peyvand.revival.choices import Severity
from peyvand.units.choices import UnitStatus


def test_a_registered_choice_is_drawn_in_its_colour():
    assert 'class="badge text-bg-danger" data-code="idle"' in badge("idle", "unit_status")


def test_integer_choices_have_colours_too():
    assert [level.color for level in Severity] == ["secondary", "warning", "danger"]
    assert UnitStatus.OPERATING.color == "success"


@pytest.mark.parametrize("name", sorted(_CHOICES))
def test_every_badge_choice_names_a_colour_for_each_of_its_values(name):
    choices = _CHOICES[name]
    if issubclass(choices, BadgeColour):
        assert set(choices._badge_colours) == set(choices.values)


def test_a_choices_class_missing_a_colour_is_refused_when_it_is_defined():
    with pytest.raises(ImproperlyConfigured, match="HalfDone"):

        @badge_colours({"yes": "success"})
        class HalfDone(BadgeColour, models.TextChoices):
            YES = "yes", "yes"
            NO = "no", "no"


def test_a_colour_bootstrap_does_not_know_is_refused():
    with pytest.raises(ImproperlyConfigured):

        @badge_colours({"yes": "green"})
        class Misnamed(BadgeColour, models.TextChoices):
            YES = "yes", "yes"


def test_a_code_reads_as_its_label_and_a_retired_code_as_itself():
    with translation.override("fa"):
        assert label_of(UnitStatus, "idle") == str(UnitStatus.IDLE.label)
        assert label_of(UnitStatus, "idle") != "idle"
    assert label_of(UnitStatus, "mothballed") == "mothballed"
    assert label_of(UnitStatus, None) == "—"
