from django.contrib import admin

from .models import CaseCause, Intervention, RevivalCase, RiskAssessment


class CaseCauseInline(admin.TabularInline):
    model = CaseCause
    extra = 0


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0
    raw_id_fields = ("owner", "request", "linkage", "investor", "created_by")


@admin.register(RevivalCase)
class RevivalCaseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "stage", "opened_on", "outcome_on", "jobs_restored")
    list_filter = ("stage", "requested_by_unit", "unit__estate")
    search_fields = ("unit__name", "unit__name_en")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "opened_by", "return_change")
    # The stage and the return follow the clinic's services and the unit's life cycle, not this form.
    readonly_fields = ("stage", "stage_date", "return_change", "outcome_on")
    inlines = [CaseCauseInline, InterventionInline]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "score", "at_risk", "assessed_on")
    list_filter = ("at_risk",)
    raw_id_fields = ("unit",)
    readonly_fields = ("unit", "score", "at_risk", "signals", "assessed_on")
