from django.contrib import admin

from clausier.invoicing.models import Invoice, InvoiceLine
from clausier.kernel.admin import LINE_COLUMNS, ReadOnlyAdmin, ReadOnlyInline


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = (*LINE_COLUMNS, "unit_label", "unit_price", "vat_rate", "discount", "amount_ht")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Invoices change through clausier's services (numbering, hash chain, audit): the admin
    only shows them. An issued document never changes; drafts are edited in the back office."""

    list_display = (
        "number",
        "kind",
        "status",
        "seller",
        "client",
        "issue_date",
        "due_date",
        "total_ttc",
        "amount_due",
    )
    list_filter = ("seller", "kind", "status")
    search_fields = ("number", "client__name")
    inlines = (InvoiceLineInline,)
