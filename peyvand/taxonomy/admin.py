from django.contrib import admin

from .models import Classification


@admin.register(Classification)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "scheme", "level")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name", "name_en")
    raw_id_fields = ("parent",)
    ordering = ("scheme", "code")
