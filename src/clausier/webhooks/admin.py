from django.contrib import admin

from clausier.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """Webhooks change through clausier's services (validated, audited); the admin shows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "seller", "active", "created_at")
    list_filter = ("seller", "active")
    exclude = ("secret",)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "attempted_at", "response_code", "error", "duration_ms", "next_attempt_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("msg_id", "event_type", "seller", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "event_type", "seller")
    search_fields = ("msg_id", "subject")
    inlines = (WebhookAttemptInline,)
