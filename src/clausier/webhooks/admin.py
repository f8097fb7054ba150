from django.contrib import admin

from clausier.kernel.admin import ReadOnlyAdmin, ReadOnlyInline
from clausier.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

# Webhooks change through clausier's services (validated, audited); the admin shows.


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "seller", "active", "created_at")
    list_filter = ("seller", "active")
    exclude = ("secret",)


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("number", "attempted_at", "response_code", "error", "duration_ms", "next_attempt_at")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("msg_id", "event_type", "seller", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "event_type", "seller")
    search_fields = ("msg_id", "subject")
    inlines = (WebhookAttemptInline,)
