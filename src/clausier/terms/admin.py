from django.contrib import admin

from clausier.kernel.admin import ReadOnlyAdmin, ReadOnlyInline
from clausier.terms.models import Acceptance, Clause, TermsVersion

# Terms and acceptances are edited through clausier's services (back-office, API), which
# enforce that a published version never changes; the admin only shows them.


class ClauseInline(ReadOnlyInline):
    model = Clause
    fields = ("position", "clause_id", "kind", "article", "title", "parameters")


@admin.register(TermsVersion)
class TermsVersionAdmin(ReadOnlyAdmin):
    list_display = ("seller", "label", "effective_date", "status", "text_sha256")
    list_filter = ("seller", "status")
    inlines = (ClauseInline,)


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("client", "version", "accepted_at", "method", "accepted_by_name")
    list_filter = ("method", "version__seller")
