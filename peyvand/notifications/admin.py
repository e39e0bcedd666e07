from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title_fa", "user", "kind", "created_at", "read_at", "emailed", "texted")
    list_filter = ("kind", "emailed", "texted")
    search_fields = ("title_fa", "title_en", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)
