"""``{% capability_picker field %}`` — the chosen capabilities, live suggestions and a search box."""

from __future__ import annotations

from django import template
from django.forms import BoundField

from peyvand.taxonomy.models import Capability

register = template.Library()


@register.inclusion_tag("taxonomy/capability_picker.html")
def capability_picker(field: BoundField) -> dict:
    values = field.value() or []
    ids = [int(value) for value in values if str(value).isdigit()]
    chosen = list(Capability.objects.filter(pk__in=ids).order_by("family", "sort_name"))
    return {"field": field, "chosen": chosen, "suggestions": []}
