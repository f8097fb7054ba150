from django.contrib import admin

from clausier.audit.models import Event
from clausier.kernel.admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The trail is evidence: readable, never edited or deleted."""

    list_display = ("created_at", "seller", "actor_label", "verb", "object_repr", "request_id")
    list_filter = ("seller", "verb")
    search_fields = ("object_repr", "verb", "actor_label", "request_id")
