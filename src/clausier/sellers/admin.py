from django.contrib import admin

from clausier.sellers import services
from clausier.sellers.models import Seller, StaffMembership


class StaffInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "slug", "siren", "vat_regime", "city")
    search_fields = ("legal_name", "trade_name", "siren", "slug")
    inlines = (StaffInline,)

    def save_model(self, request, obj, form, change):
        # Through the service, so that the change is validated and audited like any other.
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "slug"}
        if not change:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        saved = services.upsert_seller(slug=obj.slug, fields=fields, by=request.user)
        obj.pk = saved.pk
