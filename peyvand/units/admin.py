from django.contrib import admin

from .models import Certification, ClaimRequest, Product, ProductionUnit, StatusChange
from .services import units_changed


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    raw_id_fields = ("hs",)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "date", "cause", "note", "by")

    def has_add_permission(self, request, obj=None):
        return False  # life-cycle changes go through the "change status" action, which checks the rules


@admin.register(ProductionUnit)
class ProductionUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "estate", "status", "employees", "export_oriented", "knowledge_based")
    list_filter = ("status", "export_oriented", "knowledge_based", "estate__county")
    search_fields = ("name", "name_en", "national_id", "licence_number")
    list_select_related = ("estate",)
    raw_id_fields = ("isic", "plot", "organisation")
    readonly_fields = ("status", "status_since")
    inlines = [ProductInline, StatusChangeInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        units_changed([form.instance.pk], reason="admin")


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")


@admin.register(ClaimRequest)
class ClaimRequestAdmin(admin.ModelAdmin):
    list_display = ("unit", "user", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("unit", "user")
    raw_id_fields = ("unit", "user", "reviewed_by")
