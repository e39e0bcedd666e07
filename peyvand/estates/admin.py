from django.contrib import admin

from .models import County, IndustrialEstate, Plot, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code")
    search_fields = ("name", "name_en")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "province")
    list_filter = ("province",)
    search_fields = ("name", "name_en")


class PlotInline(admin.TabularInline):
    model = Plot
    extra = 0


@admin.register(IndustrialEstate)
class IndustrialEstateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "county", "company", "wastewater")
    list_filter = ("kind", "county", "company")
    search_fields = ("name", "name_en", "code")
    list_select_related = ("county", "company")
    inlines = [PlotInline]


@admin.register(Plot)
class PlotAdmin(admin.ModelAdmin):
    list_display = ("number", "estate", "area_m2", "state")
    list_filter = ("state", "estate")
    list_select_related = ("estate",)
