"""The back-office receivables dashboard (recouvrement): the aged balance of the invoices
past due with its chart, the interest accrued and the indemnities owed, and the late
invoices with their days late, each figure with its "pourquoi ?"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from clausier.collections import statement as statements
from clausier.collections.ui.statement import day_asked
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web import charts


def bucket_title(bucket: statements.Bucket) -> str:
    if bucket.last is None:
        return _("Plus de %(days)s jours de retard") % {"days": bucket.first - 1}
    return _("%(first)s à %(last)s jours de retard") % {"first": bucket.first, "last": bucket.last}


@staff_view("invoices.view")
def receivables(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    aged = statements.aged_balance(seller=scope.seller, on=day_asked(request))
    page = reverse("backoffice:receivables", kwargs={"slug": scope.seller.slug})
    points = [
        charts.Point(
            label=bucket.key,
            title=bucket_title(bucket),
            value=bucket.amount.value,
            href=f"{page}#bucket-{bucket.key}",
        )
        for bucket in aged.buckets
    ]
    return render_staff(
        request,
        scope,
        "collections/receivables/dashboard.html",
        {
            "aged": aged,
            "buckets": [(bucket, bucket_title(bucket)) for bucket in aged.buckets],
            "chart": charts.bar_chart(points),
        },
    )
