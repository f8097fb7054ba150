from django.contrib import admin

from clausier.kernel.admin import LINE_COLUMNS, ReadOnlyAdmin, ReadOnlyInline
from clausier.orders.models import DepositRequest, Order, OrderLine

# Orders change through clausier's services (state table, audit); the admin only shows them.


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        *LINE_COLUMNS,
        "unit_label",
        "unit_price",
        "unit_price_ttc",
        "vat_rate",
        "amount_ht",
        "price_version",
    )
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "seller",
        "client",
        "status",
        "total_ht",
        "total_ttc",
        "ordered_at",
        "execution_deadline",
    )
    list_filter = ("seller", "status")
    search_fields = ("reference", "client__name")
    inlines = (OrderLineInline,)


@admin.register(DepositRequest)
class DepositRequestAdmin(ReadOnlyAdmin):
    list_display = ("order", "status", "rate", "amount", "terms_label", "cashed_on")
    list_filter = ("status", "order__seller")
