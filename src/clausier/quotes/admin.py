from django.contrib import admin

from clausier.kernel.admin import LINE_COLUMNS, ReadOnlyAdmin, ReadOnlyInline
from clausier.quotes.models import Quote, QuoteAcceptance, QuoteAttachment, QuoteLine

# Quotes change through clausier's services, which number them, freeze them once sent and
# audit every write; the admin only shows them.


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    fields = (*LINE_COLUMNS, "unit_price")


class QuoteAttachmentInline(ReadOnlyInline):
    model = QuoteAttachment
    fields = ("kind", "title", "file", "sha256")


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "seller", "client", "status", "total_ht", "valid_until")
    list_filter = ("seller", "status")
    search_fields = ("number", "client__name")
    inlines = (QuoteLineInline, QuoteAttachmentInline)


@admin.register(QuoteAcceptance)
class QuoteAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("quote", "method", "accepted_at", "signatory_name")
    list_filter = ("method", "quote__seller")
