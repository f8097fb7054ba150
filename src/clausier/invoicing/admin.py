from django.contrib import admin

from clausier.invoicing.models import Invoice, InvoiceLine


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = (
        "position",
        "product_code",
        "description",
        "quantity",
        "unit",
        "unit_label",
        "unit_price",
        "vat_rate",
        "discount",
        "amount_ht",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
