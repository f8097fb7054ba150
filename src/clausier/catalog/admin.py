from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clausier.catalog import domain, services
from clausier.catalog.models import PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS, PriceVersion, Product
from clausier.kernel.admin import ReadOnlyInline


class PriceVersionInline(ReadOnlyInline):
    """Price versions are never edited: a new price is entered on the product form below and
    saved by ``services.change_price`` as a new version."""

    model = PriceVersion
    fields = ("effective_from", "unit_price_ht", "created_at", "created_by_label")
    readonly_fields = fields
    ordering = ("-effective_from",)


class ProductForm(forms.ModelForm):
    new_price_ht = forms.DecimalField(
        label=_("nouveau prix unitaire HT (€)"),
        required=False,
        min_value=0,
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        help_text=_("Ajoute une version de prix ; les prix existants ne changent pas."),
    )
    new_price_from = forms.DateField(label=_("en vigueur à partir du"), required=False)

    class Meta:
        model = Product
        # The seller, then what ``services.create_product`` writes, in the model's order.
        fields = (
            "seller",
            *(field.name for field in Product._meta.fields if field.name in services.CREATE_FIELDS),
        )

    def clean(self):
        data = super().clean()
        price, start = data.get("new_price_ht"), data.get("new_price_from")
        creating = self.instance.pk is None
        if creating and price is None:
            self.add_error("new_price_ht", _("Le premier prix est obligatoire."))
        if (price is None) != (start is None):
            self.add_error(
                "new_price_from" if start is None else "new_price_ht",
                _("Un nouveau prix a un montant et une date d'effet."),
            )
        elif price is not None and not creating:
            problem = domain.new_price_date_problem(
                effective_from=start,
                existing=self.instance.price_versions.values_list("effective_from", flat=True),
                today=services.today(),
            )
            if problem:
                self.add_error("new_price_from", problem)
        seller = data.get("seller") or getattr(self.instance, "seller", None)
        rate = data.get("vat_rate")
        if seller is not None and rate is not None:
            problem = domain.vat_rate_for_regime_problem(regime=seller.vat_regime, rate=rate)
            if problem:
                self.add_error("vat_rate", problem)
        return data


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductForm
    list_display = ("name", "code", "seller", "unit", "vat_rate", "is_fee", "active")
    list_filter = ("seller", "unit", "active", "is_fee")
    search_fields = ("code", "name", "description")
    inlines = (PriceVersionInline,)

    def get_readonly_fields(self, request, obj=None):
        return ("seller", *services.FROZEN_FIELDS) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Archive instead: documents keep pointing at the product's price versions.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {
                name: data[name]
                for name in form.changed_data
                if name in services.UPDATE_FIELDS - services.FROZEN_FIELDS
            }
            # The form ran the services' checks; both writes commit together or not at all.
            with transaction.atomic():
                services.update_product(product=obj, fields=fields, by=request.user)
                if data.get("new_price_ht") is not None:
                    services.change_price(
                        product=obj,
                        unit_price_ht=data["new_price_ht"],
                        effective_from=data["new_price_from"],
                        by=request.user,
                    )
            return
        saved = services.create_product(
            seller=data["seller"],
            fields={name: data[name] for name in services.CREATE_FIELDS if name in data},
            price_ht=data["new_price_ht"],
            effective_from=data["new_price_from"],
            by=request.user,
        )
        obj.pk = saved.pk
