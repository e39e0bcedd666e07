from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "code", "content_type", "object_id", "actor", "via")
    list_filter = ("code",)
    search_fields = ("code", "object_id")
    readonly_fields = [field.name for field in Event._meta.fields]
    list_select_related = ("content_type", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
