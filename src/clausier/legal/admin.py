from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from clausier.legal import services
from clausier.legal.domain import Period
from clausier.legal.models import EcbRate, LegalRate


class LegalRateForm(forms.ModelForm):
    class Meta:
        model = LegalRate
        fields = (
            "year",
            "semester",
            "professional",
            "consumer",
            "decree_date",
            "journal_reference",
            "source",
        )

    def clean(self):
        data = super().clean()
        year = data.get("year", getattr(self.instance, "year", None))
        semester = data.get("semester", getattr(self.instance, "semester", None))
        if self.errors or year is None:
            return data
        try:
            services.check_legal_rate(
                period=Period(year, semester),
                professional=data.get("professional"),
                consumer=data.get("consumer"),
                source=data.get("source", ""),
                decree_date=data.get("decree_date"),
                journal_reference=data.get("journal_reference", ""),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(None if field == "period" else field, messages)
        return data


class SemesterRateAdmin(admin.ModelAdmin):
    """A platform table of rates per semester (the same for every seller): superusers only;
    the period of a saved row is its identity (its rates are corrected, not its period), and
    a row is never deleted (it would leave a hole in the table)."""

    readonly_fields = ("recorded_by_label", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("year", "semester", *self.readonly_fields)
        return self.readonly_fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: request.user.is_active and request.user.is_superuser
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalRate)
class LegalRateAdmin(SemesterRateAdmin):
    """The legal interest rates staff add when the Journal officiel publishes a new
    semester. Superusers only: the rate is the same for every seller. Saved through
    ``legal.services.record_legal_rate`` (checks against the shipped table, audit)."""

    form = LegalRateForm
    list_display = (
        "__str__",
        "professional",
        "consumer",
        "source",
        "recorded_by_label",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):
        saved = services.record_legal_rate(
            period=Period(obj.year, obj.semester),
            professional=obj.professional,
            consumer=obj.consumer,
            source=obj.source,
            decree_date=obj.decree_date,
            journal_reference=obj.journal_reference,
            by=request.user,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


class EcbRateForm(forms.ModelForm):
    class Meta:
        model = EcbRate
        fields = ("year", "semester", "rate", "source")

    def clean(self):
        data = super().clean()
        year = data.get("year", getattr(self.instance, "year", None))
        semester = data.get("semester", getattr(self.instance, "semester", None))
        if self.errors or year is None:
            return data
        try:
            services.check_ecb_rate(
                year=year, semester=semester, rate=data.get("rate"), source=data.get("source", "")
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(EcbRate)
class EcbRateAdmin(SemesterRateAdmin):
    """The ECB main refinancing rates staff add for the semesters after the table shipped
    with clausier (the seed data). Superusers only: the rate is the same for every seller.
    Saved through ``legal.services.record_ecb_rate`` (checks, audit)."""

    form = EcbRateForm
    list_display = ("__str__", "rate", "source", "recorded_by_label", "updated_at")

    def save_model(self, request, obj, form, change):
        saved = services.record_ecb_rate(
            year=obj.year, semester=obj.semester, rate=obj.rate, source=obj.source, by=request.user
        )
        obj.pk = saved.pk
        obj.refresh_from_db()
