"""``{% estate_plants estate %}``: the treatment plants serving an estate, on the estate's page (for
those the permission gate lets see them)."""

from __future__ import annotations

from typing import Any

from django import template

from peyvand.core import permissions

register = template.Library()


@register.inclusion_tag("green/_estate_plants.html", takes_context=True)
def estate_plants(context: template.Context, estate: Any) -> dict[str, Any]:
    from peyvand.green.models import TreatmentPlant

    request = context.get("request")
    user = getattr(request, "user", None)
    plants = permissions.restrict(TreatmentPlant.objects.filter(estates=estate), user, permissions.VIEW)
    return {"plants": list(plants.order_by("planned_opening", "sort_name")), "request": request}
