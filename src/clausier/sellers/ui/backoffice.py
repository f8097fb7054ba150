"""The seller's settings screen: identity, tax, bank, contact, branding and numbering, for
the owner. Thin: the form validates, ``sellers.services.update_settings`` writes (locked,
audited); quotes sent and invoices issued afterwards print the new values, issued documents
keep the identity they froze."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.sellers import services as seller_services
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.domain import SETTINGS_GROUPS
from clausier.sellers.selectors import StaffScope
from clausier.sellers.ui.forms import SellerSettingsForm
from clausier.web.forms import changed_fields, posted, submit

GROUP_LEGENDS = {
    "identity": gettext_lazy("Identité de l'entreprise"),
    "tax": gettext_lazy("TVA et facturation électronique"),
    "bank": gettext_lazy("Coordonnées bancaires"),
    "contact": gettext_lazy("Adresses de réponse et langue"),
    "branding": gettext_lazy("Logo et couleur"),
    "numbering": gettext_lazy("Numérotation des documents"),
}


@staff_view("settings.edit")
def settings(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    # The form validates a copy: a refused value never shows in the page's own header.
    form = SellerSettingsForm(
        posted(request), request.FILES or None, instance=copy.copy(scope.seller)
    )
    done = submit(
        form,
        lambda data: seller_services.update_settings(
            seller=scope.seller,
            fields={k: v for k, v in changed_fields(form).items() if k in form.Meta.fields},
            logo=data["logo"],
            remove_logo=data["remove_logo"],
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(
            request,
            _(
                "Paramètres enregistrés : les prochains devis et factures les reprennent, les "
                "documents déjà émis restent tels qu'ils ont été émis."
            ),
        )
        return redirect("backoffice:settings", slug=scope.seller.slug)
    groups = [
        (GROUP_LEGENDS[key], key, [form[name] for name in names])
        for key, names in SETTINGS_GROUPS.items()
    ]
    return render_staff(
        request,
        scope,
        "sellers/backoffice/settings.html",
        {"form": form, "groups": groups},
        status=done.status,
    )
