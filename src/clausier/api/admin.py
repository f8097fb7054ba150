from django.contrib import admin

from clausier.api.models import ApiToken
from clausier.kernel.admin import refuse


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created and revoked in the back-office; the admin only lists them."""

    list_display = ("name", "seller", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("seller",)
    exclude = ("token_sha256",)

    has_add_permission = has_change_permission = refuse
