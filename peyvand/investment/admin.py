from django.contrib import admin

from .models import (
    AllocationContract,
    Application,
    Evidence,
    Instalment,
    Investor,
    LandUse,
    Milestone,
    ScreeningWeight,
)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ("checked_by", "checked_at")


@admin.register(Investor)
class InvestorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "company", "knowledge_level", "knowledge_expiry")
    list_filter = ("kind", "knowledge_level")
    search_fields = ("name", "name_en", "national_id")
    raw_id_fields = ("organisation",)
    inlines = [EvidenceInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("title", "investor", "state", "score", "jobs_planned", "land_m2")
    list_filter = ("state", "environment_group")
    search_fields = ("title", "product", "investor__name")
    list_select_related = ("investor",)
    raw_id_fields = ("investor", "isic", "unit", "estate")
    # States move through the services (timeline, unit registration), never here.
    readonly_fields = ("state", "state_since", "submitted_on", "score", "score_details", "unit", "estate")


@admin.register(ScreeningWeight)
class ScreeningWeightAdmin(admin.ModelAdmin):
    list_display = ("company", "criterion", "weight")
    list_filter = ("company",)


@admin.register(LandUse)
class LandUseAdmin(admin.ModelAdmin):
    list_display = ("estate", "admitted_isic", "max_environment_group", "water_left_m3_day", "power_left_kw")
    raw_id_fields = ("estate",)


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0
    readonly_fields = ("number", "due_on", "amount_rial")
    can_delete = False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ("kind", "order", "done_on", "notified_on")
    can_delete = False


@admin.register(AllocationContract)
class AllocationContractAdmin(admin.ModelAdmin):
    list_display = ("number", "application", "plot", "signed_on", "state")
    list_filter = ("state",)
    search_fields = ("number", "application__investor__name")
    raw_id_fields = ("application", "plot")
    readonly_fields = ("state", "closed_on", "total_rial")
    inlines = [InstalmentInline, MilestoneInline]
