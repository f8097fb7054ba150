from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models


def periods_of_earlier_billings(apps, schema_editor):
    """A billing made before periods were recorded billed everything, once, on payment."""
    PenaltyBilling = apps.get_model("collections", "PenaltyBilling")
    for billing in PenaltyBilling.objects.select_related("late_invoice"):
        late = billing.late_invoice
        billing.period_from = late.due_date + timedelta(days=1)
        billing.period_to = late.due_date + timedelta(days=max(late.days_late, 1))
        billing.final = late.paid_in_full
        billing.save(update_fields=["period_from", "period_to", "final"])


class Migration(migrations.Migration):
    dependencies = [
        ("collections", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lateinvoice",
            name="base",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=14, verbose_name="base des intérêts"
            ),
        ),
        migrations.AddField(
            model_name="lateinvoice",
            name="base_kind",
            field=models.CharField(blank=True, max_length=3, verbose_name="nature de la base"),
        ),
        migrations.AlterField(
            model_name="penaltybilling",
            name="late_invoice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="billings",
                to="collections.lateinvoice",
            ),
        ),
        migrations.AddField(
            model_name="penaltybilling",
            name="final",
            field=models.BooleanField(default=False, verbose_name="facturation finale"),
        ),
        migrations.AddField(
            model_name="penaltybilling",
            name="period_from",
            field=models.DateField(null=True, verbose_name="du"),
        ),
        migrations.AddField(
            model_name="penaltybilling",
            name="period_to",
            field=models.DateField(null=True, verbose_name="au"),
        ),
        migrations.RunPython(periods_of_earlier_billings, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="penaltybilling",
            name="period_from",
            field=models.DateField(verbose_name="du"),
        ),
        migrations.AlterField(
            model_name="penaltybilling",
            name="period_to",
            field=models.DateField(verbose_name="au"),
        ),
        migrations.AlterModelOptions(
            name="penaltybilling",
            options={
                "ordering": ["late_invoice", "period_to", "id"],
                "verbose_name": "facturation de pénalités",
                "verbose_name_plural": "facturations de pénalités",
            },
        ),
        migrations.AddConstraint(
            model_name="penaltybilling",
            constraint=models.UniqueConstraint(
                fields=("late_invoice", "period_to"), name="collections_billing_once_a_day"
            ),
        ),
        migrations.AddConstraint(
            model_name="penaltybilling",
            constraint=models.UniqueConstraint(
                condition=models.Q(("final", True)),
                fields=("late_invoice",),
                name="collections_one_final_billing",
            ),
        ),
        migrations.AddConstraint(
            model_name="penaltybilling",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_to__gte", models.F("period_from"))),
                name="collections_billing_period_ordered",
            ),
        ),
    ]
