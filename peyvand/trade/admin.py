from django.contrib import admin

from .models import BuyerInput, ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = (
        "product",
        "unit",
        "buyer",
        "hs_code",
        "destination",
        "year",
        "month",
        "value_usd",
        "source",
    )
    list_filter = ("source", "year", "destination")
    search_fields = ("product", "hs_code", "unit__name", "buyer__name")
    raw_id_fields = ("unit", "buyer")


@admin.register(BuyerInput)
class BuyerInputAdmin(admin.ModelAdmin):
    list_display = ("name", "buyer", "hs_code", "yearly_value_rial", "origin")
    list_filter = ("origin",)
    search_fields = ("name", "hs_code", "buyer__name")
    raw_id_fields = ("buyer",)
