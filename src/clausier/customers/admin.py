from django.contrib import admin

from clausier.customers import services
from clausier.customers.models import Client, Contact


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "role", "email", "phone", "is_billing", "user")
    raw_id_fields = ("user",)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "kind", "siren", "billing_city")
    list_filter = ("seller", "kind")
    search_fields = ("name", "siren", "email")
    inlines = (ContactInline,)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "seller"}
        if change:
            services.update_client(client=obj, fields=fields, by=request.user)
        else:
            saved = services.create_client(
                seller=form.cleaned_data["seller"],
                fields={k: v for k, v in form.cleaned_data.items() if k != "seller"},
                by=request.user,
            )
            obj.pk = saved.pk
