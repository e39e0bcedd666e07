"""Capability picker endpoints (htmx): suggestions from text as the user types, and search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from peyvand.core.search import query_id

from . import services


def _selected(request: HttpRequest) -> list[int]:
    values = request.POST.getlist("capabilities") or request.GET.getlist("capabilities")
    return [number for value in values if (number := query_id(value))]


@login_required
@require_http_methods(["GET", "POST"])
def capability_suggest(request: HttpRequest) -> HttpResponse:
    """Capabilities the tagger finds in the text fields of the form being typed."""
    data = request.POST if request.method == "POST" else request.GET
    fields = ("title", "text", "description", "description_en", "name", "capacity")
    texts = [data.get(name, "")[:5000] for name in fields]
    texts += [
        value[:200] for key, value in data.items() if key.startswith("products-") and key.endswith("-name")
    ]
    suggestions = services.suggest(*texts, exclude=_selected(request))[:12]
    return render(
        request, "taxonomy/capability_options.html", {"capabilities": suggestions, "suggested": True}
    )


@login_required
def capability_search(request: HttpRequest) -> HttpResponse:
    rows = services.search(request.GET.get("capability_query", ""))
    rows = [row for row in rows if row.pk not in set(_selected(request))]
    return render(request, "taxonomy/capability_options.html", {"capabilities": rows, "suggested": False})
