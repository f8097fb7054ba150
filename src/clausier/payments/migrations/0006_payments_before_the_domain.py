"""Payments for what was paid before the payments domain (:mod:`clausier.payments.backfill`):
each invoice paid then gets its payment and allocation, so that its balance read from the
allocations is what it showed."""

from django.db import migrations

from clausier.payments.backfill import create_payments, remove_payments


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_payment_checkout_invoice"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_payments, remove_payments)]
