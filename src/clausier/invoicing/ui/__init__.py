"""The invoice screens: the back-office list, editor, invoice page and actions; the
portal's invoices."""
