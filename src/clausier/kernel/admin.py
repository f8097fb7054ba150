"""The admin's read-only screens: rows that only the services write (numbering, state tables,
audit) are shown by the admin, never added, changed or deleted there."""

from django.contrib import admin

# The first columns of a document's line (quote, order, invoice), in the order they are shown.
LINE_COLUMNS = ("position", "product_code", "description", "quantity", "unit")


def refuse(self, request, obj=None):
    """A permission the admin never grants."""
    return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model the admin shows and nothing more."""

    has_add_permission = has_change_permission = has_delete_permission = refuse


class ReadOnlyInline(admin.TabularInline):
    """The rows of a shown model, read-only like it; ``fields`` are shown as they are."""

    extra = 0
    can_delete = False
    has_add_permission = has_change_permission = has_delete_permission = refuse
