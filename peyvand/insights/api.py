"""The KPI figures in the API (``/api/v1/kpis/``): the dashboard's figures, registered with the API's resources."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from peyvand.api import resources
from peyvand.api.base import LanguageMixin
from peyvand.core import kpis

from .forms import DashboardForm


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="null when not available (see note)")
    count = serializers.IntegerField(allow_null=True, help_text="a ratio's numerator")
    base = serializers.IntegerField(allow_null=True, help_text="a ratio's denominator")
    note = serializers.CharField()
    list_url = serializers.CharField(allow_null=True, help_text="the list behind the figure")


class KpiView(LanguageMixin, APIView):
    """The dashboard's figures for a date: each KPI defined once (``core/kpis.py``), as the user may see
    (anonymous callers: the public figures of the home page)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="KPI figures · شاخص‌ها",
        description="Every figure the dashboard shows you, as of `on` (Jalali 1405/02/10 or Gregorian "
        "2026-04-30; today when absent) over `period`, with the dashboard's filters.\n\n"
        "همهٔ شاخص‌هایی که داشبورد به شما نشان می‌دهد، در تاریخ `on` (شمسی یا میلادی).",
        parameters=[
            OpenApiParameter("on", str, description="YYYY-MM-DD or 1405/02/10"),
            OpenApiParameter("period", str, enum=list(kpis.PERIOD_KINDS)),
            OpenApiParameter("estate", int),
            OpenApiParameter("county", int),
            OpenApiParameter("isic", int),
            OpenApiParameter("size", str),
        ],
        responses=inline_serializer(
            "KpiFigures",
            {
                "on": serializers.DateField(),
                "period_start": serializers.DateField(),
                "figures": FigureSerializer(many=True),
            },
        ),
    )
    def get(self, request: Any) -> Response:
        form = DashboardForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items() if name != "kpi"}
            if errors:
                raise serializers.ValidationError(errors)
        query = form.query()
        rows = [
            {
                "code": figure.code,
                "name": str(figure.kpi.name),
                "definition": str(figure.kpi.definition),
                "unit": figure.kpi.unit,
                "value": float(figure.value) if figure.value is not None else None,
                "count": figure.count,
                "base": figure.base,
                "note": str(figure.note),
                "list_url": figure.url,
            }
            for figure in kpis.figures(query)
        ]
        return Response({"on": query.on, "period_start": query.period.start, "figures": rows})


# --- Tokens on the user's account ------------------------------------------------------------------


resources.paths.append(path("kpis/", KpiView.as_view(), name="kpis"))
