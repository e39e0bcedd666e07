from django.contrib import admin

from .models import (
    ComplianceCase,
    DischargeLimit,
    EffluentTest,
    PlantStageChange,
    ProgressReport,
    ResourceListing,
    SymbiosisLink,
    SymbiosisStep,
    TreatmentPlant,
    UnitConnection,
)


class StageChangeInline(admin.TabularInline):
    model = PlantStageChange
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "date", "note", "by")
    can_delete = False


class ProgressInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    readonly_fields = ("date", "percent", "inflow_m3_day", "note", "by")
    can_delete = False


@admin.register(TreatmentPlant)
class TreatmentPlantAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "stage", "progress_percent", "planned_opening", "actual_opening")
    list_filter = ("stage", "technology", "company")
    search_fields = ("name", "name_en", "contractor")
    filter_horizontal = ("estates",)
    readonly_fields = ("stage", "stage_since", "progress_percent", "actual_opening", "inflow_m3_day")
    inlines = [StageChangeInline, ProgressInline]


@admin.register(DischargeLimit)
class DischargeLimitAdmin(admin.ModelAdmin):
    list_display = ("company", "receiving_body", "parameter", "minimum", "maximum")
    list_filter = ("company", "receiving_body")


@admin.register(UnitConnection)
class UnitConnectionAdmin(admin.ModelAdmin):
    list_display = ("unit", "connected", "connected_on", "receiving_body", "pretreatment_in_place")
    list_filter = ("connected", "receiving_body")
    raw_id_fields = ("unit",)


@admin.register(EffluentTest)
class EffluentTestAdmin(admin.ModelAdmin):
    list_display = ("unit", "sampled_on", "lab", "receiving_body", "passed")
    list_filter = ("passed", "receiving_body")
    raw_id_fields = ("unit",)
    readonly_fields = ("passed", "exceedances")


@admin.register(ComplianceCase)
class ComplianceCaseAdmin(admin.ModelAdmin):
    list_display = ("unit", "opened_on", "deadline", "state", "repeated")
    list_filter = ("state", "repeated")
    raw_id_fields = ("unit", "test")


@admin.register(ResourceListing)
class ResourceListingAdmin(admin.ModelAdmin):
    list_display = ("unit", "direction", "material", "tonnes_per_year", "active")
    list_filter = ("direction", "material", "active")
    raw_id_fields = ("unit",)


class StepInline(admin.TabularInline):
    model = SymbiosisStep
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "date", "note", "by")
    can_delete = False


@admin.register(SymbiosisLink)
class SymbiosisLinkAdmin(admin.ModelAdmin):
    list_display = ("__str__", "stage", "stage_date", "tonnes_per_year", "value_rial")
    list_filter = ("stage", "material")
    raw_id_fields = ("have", "want")
    readonly_fields = ("stage", "stage_date")
    inlines = [StepInline]
