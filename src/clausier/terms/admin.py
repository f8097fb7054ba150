from django.contrib import admin

from clausier.terms.models import Acceptance, Clause, TermsVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Terms and acceptances are edited through clausier's services (back-office, API), which
    enforce that a published version never changes; the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ("position", "clause_id", "kind", "article", "title", "parameters")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermsVersion)
class TermsVersionAdmin(ReadOnlyAdmin):
    list_display = ("seller", "label", "effective_date", "status", "text_sha256")
    list_filter = ("seller", "status")
    inlines = (ClauseInline,)


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("client", "version", "accepted_at", "method", "accepted_by_name")
    list_filter = ("method", "version__seller")
