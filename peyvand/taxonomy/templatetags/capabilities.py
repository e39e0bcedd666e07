"""``{% capability_picker field %}`` — the chosen capabilities, live suggestions and a search box."""

from __future__ import annotations

from django import template
from django.forms import BoundField

from peyvand.core.search import query_id
from peyvand.taxonomy.models import Capability

register = template.Library()


@register.inclusion_tag("taxonomy/capability_picker.html")
def capability_picker(field: BoundField) -> dict:
    values = field.value() or []
    ids = [number for number in map(query_id, values) if number is not None]
    chosen = list(Capability.objects.filter(pk__in=ids).order_by("family", "sort_name"))
    return {"field": field, "chosen": chosen, "suggestions": []}
