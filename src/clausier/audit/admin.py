from django.contrib import admin

from clausier.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The trail is evidence: readable, never edited or deleted."""

    list_display = ("created_at", "seller", "actor_label", "verb", "object_repr", "request_id")
    list_filter = ("seller", "verb")
    search_fields = ("object_repr", "verb", "actor_label", "request_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
