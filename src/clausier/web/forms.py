"""Form helpers shared by the back-office and the portal: service errors next to their
fields, and the widgets every document form uses (dates, French VAT rates)."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.kernel.errors import DomainError
from clausier.kernel.inputs import check_date_window
from clausier.rules.identifiers import compact_identifier

# The French VAT rates a line may carry, as the fractions the services take.
VAT_RATES: list[tuple[str, Any]] = [
    ("0", _("0 % (pas de TVA)")),
    ("0.021", _("2,1 %")),
    ("0.055", _("5,5 %")),
    ("0.10", _("10 %")),
    ("0.20", _("20 %")),
]


def date_input() -> forms.DateInput:
    """A browser date picker that reads and writes ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date a person types: a browser date picker, and only a plausible date
    (:func:`clausier.kernel.inputs.check_date_window`: from 2000 to ten years ahead)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        try:
            check_date_window(value, "date")
        except ValidationError as error:
            raise ValidationError(error.message_dict["date"], code="date_window") from None


# Spaces people put between thousands: a plain space, a no-break space, a narrow no-break
# space (what French typography and Django's French format use), a thin space.
_GROUP_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def french_number(value: str) -> str:
    """``"1 234,56"`` (any space between thousands, a decimal comma) as ``"1234.56"``. A
    comma and a dot together: the last one is the decimal mark (``"1.234,5"``, ``"1,234.5"``)."""
    text = _GROUP_SPACES.sub("", value)
    if "," in text and "." in text:
        decimal_mark = "," if text.rindex(",") > text.rindex(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "")
    return text.replace(",", ".")


class DecimalField(forms.DecimalField):
    """A number typed the French way (``1 234,56``, ``1 500``) or the ISO way (``1234.56``),
    shown in the page's format."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = french_number(value.strip())
        return super().to_python(value)


class IdentifierField(forms.CharField):
    """A registration number typed with spaces, dots or dashes for readability (SIREN
    ``732 829 320``, IBAN ``FR76 3000 …``): kept as its compact, upper-case form."""

    def to_python(self, value):
        return compact_identifier(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # the spaces typed for readability do not count
        return attrs


def decimal_choice(value: Any) -> Decimal:
    """``value`` as a Decimal for a typed choice; a ``ValueError`` (which the form shows as an
    invalid choice) for anything else, never a ``decimal.InvalidOperation`` (a 500)."""
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        raise ValueError(value) from None


def vat_choice(rate: Decimal) -> str:
    """The ``VAT_RATES`` choice of ``rate`` ("0" for a rate not in the list)."""
    for value, _label in VAT_RATES:
        if Decimal(value) == rate:
            return value
    return "0"


def sorts(**columns: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A list's orders: ``key`` by its column(s) then ``id``, ``-key`` the other way round
    (``sorts(name="name")``: ``{"name": ("name", "id"), "-name": ("-name", "-id")}``)."""
    orders = {}
    for key, fields in columns.items():
        fields = (fields,) if isinstance(fields, str) else fields
        orders[key] = (*fields, "id")
        orders[f"-{key}"] = tuple(f"-{field}" for field in (*fields, "id"))
    return orders


def choice_filter(label: Any, everything: Any, choices: Any) -> forms.ChoiceField:
    """A list filter among ``choices``, ``everything`` first (the empty choice: no filter)."""
    return forms.ChoiceField(label=label, required=False, choices=[("", everything), *choices])


class ListFilterForm(forms.Form):
    """A list's search (``q``), filters and order (``sort``), all in the URL. Anything missing
    or invalid falls back to its default, so a stale link never breaks the page. A subclass
    names its ``SORTS`` (each key, the ``order_by`` it stands for) and its ``DEFAULT_SORT``."""

    SORTS: ClassVar[dict[str, tuple]]
    DEFAULT_SORT: ClassVar[str]

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(key, key) for key in self.SORTS]

    @staticmethod
    def _default(field: forms.Field) -> Any:
        if isinstance(field, forms.BooleanField):
            return False
        if isinstance(field, forms.TypedChoiceField):
            return field.empty_value
        if isinstance(field, forms.CharField | forms.ChoiceField):
            return ""
        return None

    def values(self) -> dict[str, Any]:
        """Each field's value, or its default: ``DEFAULT_SORT``, "" for a text or a choice
        (no filter), ``False`` for a box, the empty value of a typed choice, else ``None``."""
        self.is_valid()  # invalid fields are left out of cleaned_data: their default applies
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        values["sort"] = values["sort"] or self.DEFAULT_SORT
        return {
            name: self._default(self.fields[name]) if value in (None, "") else value
            for name, value in values.items()
        }


class ReasonForm(forms.Form):
    """One reason, written for the record (a withdrawal, a refusal, a cancellation). A
    subclass words it: ``reason_label``, ``reason_help``, ``reason_missing`` (the error when
    it is required and left empty), and sizes it (``max_length``, ``rows``)."""

    reason_label: ClassVar[Any] = _("Motif")
    reason_help: ClassVar[Any] = ""
    reason_missing: ClassVar[Any] = None
    max_length: ClassVar[int] = 2000
    rows: ClassVar[int] = 2

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        missing = {"required": self.reason_missing} if self.reason_missing else None
        self.fields["reason"] = forms.CharField(
            label=self.reason_label,
            max_length=self.max_length,
            required=required,
            widget=forms.Textarea(attrs={"rows": self.rows}),
            help_text=self.reason_help,
            error_messages=missing,
        )


class DocumentHeadForm(forms.Form):
    """The head of a draft document: its client, chosen once, when the draft is created
    (``clients`` then lists whom it may go to; without it, editing a draft, the client
    stays). A subclass says in ``client_help`` what the client is for."""

    client = forms.ModelChoiceField(
        label=_("Client"), queryset=None, empty_label=_("— Choisissez un client —")
    )

    client_help: ClassVar[Any] = ""

    def __init__(self, *args, clients=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if clients is None:  # editing a draft: its client stays
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
            self.fields["client"].help_text = self.client_help


class DocumentLineForm(forms.Form):
    """One row of a document's line editor (a quote's, an invoice's). A subclass names its
    ``units`` (the choices of "Unité", flat rate first shown), the fields it requires on top
    of the quantity and, with ``field_order``, where its product code stands."""

    description = forms.CharField(
        label=_("Désignation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    quantity = DecimalField(
        label=_("Quantité"), max_digits=12, decimal_places=3, localize=True, required=True
    )
    unit = forms.ChoiceField(label=_("Unité"))
    unit_price = DecimalField(
        label=_("Prix unitaire HT (€)"),
        max_digits=14,
        decimal_places=4,
        localize=True,
        min_value=0,
        required=False,
    )
    vat_rate = forms.TypedChoiceField(
        label=_("TVA"), choices=VAT_RATES, coerce=decimal_choice, empty_value=Decimal(0)
    )
    product_code = forms.CharField(label=_("Code produit"), max_length=60, required=False)
    remove = forms.BooleanField(label=_("Retirer"), required=False)

    units: ClassVar[Any]
    required_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args, default_vat: Decimal = Decimal(0), **kwargs) -> None:
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = self.units.choices
        self.fields["unit"].initial = self.units.FLAT
        for name in self.required_fields:
            self.fields[name].required = True
        self.fields["vat_rate"].initial = vat_choice(default_vat)
        self.fields["quantity"].widget.attrs.update({"inputmode": "decimal", "size": 6})
        self.fields["unit_price"].widget.attrs.update({"inputmode": "decimal", "size": 8})


class DocumentEditor:
    """A document's head form and its rows of lines, bound or not, as one thing to validate,
    fill with the services' errors and render. A subclass names its ``head_form`` and its
    ``line_form``; ``general_keys`` are the service's error keys shown on top as they are."""

    head_form: ClassVar[type[forms.Form]]
    line_form: ClassVar[type[DocumentLineForm]]
    general_keys: ClassVar[tuple[str, ...]] = (NON_FIELD_ERRORS,)
    BLANK_ROWS: ClassVar[int] = 2
    MAX_ROWS: ClassVar[int] = 100
    _LINE_ERROR: ClassVar[re.Pattern] = re.compile(r"^lines\[(\d+)\]\.(\w+)$")

    def __init__(
        self,
        data=None,
        *,
        clients=None,
        initial: dict | None = None,
        lines: list[dict] | None = None,
        default_vat: Decimal = Decimal(0),
        add_rows: int = 0,
    ) -> None:
        self.head = self.head_form(data, clients=clients, initial=initial or {})
        self.default_vat = default_vat
        if data is not None:
            try:
                count = int(data.get("line_count", 0))
            except (TypeError, ValueError):
                count = 0
            count = max(0, min(count, self.MAX_ROWS))
            self.rows = [self._row(data, i) for i in range(count)]
        else:
            lines = lines or []
            blank = max(self.BLANK_ROWS, 3 - len(lines)) + add_rows
            self.rows = [self._row(None, i, initial=line) for i, line in enumerate(lines)]
            self.rows += [self._row(None, len(lines) + i) for i in range(blank)]
        self._used: list[DocumentLineForm] = []

    def _row(self, data, index: int, initial: dict | None = None) -> DocumentLineForm:
        return self.line_form(
            data, prefix=f"line-{index}", initial=initial or {}, default_vat=self.default_vat
        )

    @staticmethod
    def _carried(row: DocumentLineForm) -> bool:
        """Whether "add a line" keeps what was typed into ``row``."""
        return row.has_changed()

    @classmethod
    def with_more_rows(cls, bound: "DocumentEditor", *, clients=None, more: int = 1):
        """The same editor, unbound (no error shown yet), with what was typed and ``more``
        blank rows: the "add a line" button without JavaScript."""
        head = {name: bound.head[name].value() for name in bound.head.fields}
        typed = [row.raw_initial() for row in bound.rows if cls._carried(row)]
        editor = cls(clients=clients, initial=head, default_vat=bound.default_vat)
        editor.rows = [editor._row(None, i, initial=line) for i, line in enumerate(typed)]
        editor.rows += [editor._row(None, len(typed) + i) for i in range(cls.BLANK_ROWS + more - 1)]
        return editor

    @property
    def line_count(self) -> int:
        return len(self.rows)

    def is_valid(self) -> bool:
        head_ok = self.head.is_valid()
        self._used = [row for row in self.rows if row.used]
        rows_ok = all(row.is_valid() for row in self._used)
        return head_ok and rows_ok

    def lines(self) -> list[dict[str, Any]]:
        return [row.line() for row in self._used]

    def add_service_errors(self, error: ValidationError) -> None:
        """Each of a service's errors next to the field it names: ``lines[2].quantity`` on
        the third line sent (which may be another row on screen, blank rows being skipped)."""
        if not hasattr(error, "error_dict"):
            self.head.add_error(None, error.messages)
            return
        for key, texts in error.message_dict.items():
            match = self._LINE_ERROR.match(key)
            if match and int(match[1]) < len(self._used):
                row = self._used[int(match[1])]
                row.add_error(match[2] if match[2] in row.fields else None, texts)
            elif key in self.head.fields:
                self.head.add_error(key, texts)
            elif key in self.general_keys:
                self.head.add_error(None, texts)
            else:
                self.head.add_error(None, [f"{key} : {m}" for m in texts])

    @property
    def has_errors(self) -> bool:
        return bool(self.head.errors) or any(row.errors for row in self.rows if row.is_bound)

    def row_errors(self) -> list[tuple[int, DocumentLineForm]]:
        """``(line number, row)`` for each row with an error, for the summary on top."""
        return [(i, row) for i, row in enumerate(self.rows, 1) if row.is_bound and row.errors]


def changed_fields(form: forms.Form) -> dict[str, Any]:
    """The cleaned values of the fields the user changed (what an update service takes)."""
    return {name: form.cleaned_data[name] for name in form.changed_data}


def edit_document(
    request: HttpRequest,
    editor_class: type[DocumentEditor],
    *,
    blank: Callable[[], DocumentEditor],
    write: Callable[[DocumentEditor], Any],
    done: Callable[[Any], HttpResponse],
    render: Callable[..., HttpResponse],
    clients=None,
    default_vat: Decimal = Decimal(0),
) -> HttpResponse:
    """A draft document's editor page, without JavaScript: ``blank()`` shown; "add a line"
    (``add_line``) shows what was typed with one more row; sent and valid, ``write(editor)``
    (the service calls) then ``done(result)``. Refused, the editor again (400), each service
    error next to its field. ``render(editor, status=...)`` answers the page."""
    if request.method != "POST":
        return render(blank())
    editor = editor_class(request.POST, clients=clients, default_vat=default_vat)
    if "add_line" in request.POST:
        return render(editor_class.with_more_rows(editor, clients=clients))
    if editor.is_valid():
        try:
            result = write(editor)
        except ValidationError as error:
            editor.add_service_errors(error)
        except DomainError as error:
            editor.head.add_error(None, str(error))
        else:
            return done(result)
    return render(editor, status=400)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the fields it names (the rest on top)."""
    if hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            field = key.split(".", 1)[0]  # "parameters.n" belongs to the parameters field
            if field in form.fields:
                form.add_error(field, [f"{key}: {m}" if key != field else m for m in texts])
            elif key == NON_FIELD_ERRORS:
                form.add_error(None, texts)
            else:
                form.add_error(None, [f"{key}: {m}" for m in texts])
    else:
        form.add_error(None, error.messages)


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit` made of a form: the service's result when it wrote, else the
    status the page is answered with (the form then holds the errors)."""

    ok: bool
    result: Any = None
    status: int = 400


def attempt(request: HttpRequest, write: Callable[[], Any], success: Any) -> Submitted:
    """``write()`` (a service call) for a button without a form: a ``DomainError`` is shown as
    an error message (409); else ``success`` (a text, or the text for the result) as a
    success message."""
    try:
        result = write()
    except DomainError as error:
        messages.error(request, str(error))
        return Submitted(ok=False, status=409)
    messages.success(request, success(result) if callable(success) else success)
    return Submitted(ok=True, result=result, status=200)


def posted(request: HttpRequest) -> Any:
    """The data a form is bound to: the request's POST, even an empty one (a refused
    submission, never a blank page shown with 200), ``None`` for a GET."""
    return request.POST if request.method == "POST" else None


def submit(
    form: forms.Form, write: Callable[[dict[str, Any]], Any], *, refused_status: int = 409
) -> Submitted:
    """When ``form`` is valid, ``write(form.cleaned_data)`` (a service call). A refusal goes on
    the form: a ``ValidationError`` next to the fields it names (400), a ``DomainError`` on
    top (``refused_status``, 409 unless the page answers otherwise). An invalid form: 400.
    An unbound form (the page shown, not sent): ``ok`` false and status 200, so that a view
    answers ``status=done.status`` in every case."""
    if not form.is_bound:
        return Submitted(ok=False, status=200)
    if not form.is_valid():
        return Submitted(ok=False)
    try:
        return Submitted(ok=True, result=write(form.cleaned_data), status=200)
    except ValidationError as error:
        add_service_errors(form, error)
        return Submitted(ok=False)
    except DomainError as error:
        form.add_error(None, str(error))
        return Submitted(ok=False, status=refused_status)


# --- one-time form tokens -------------------------------------------------------------------
# Every create form carries a hidden ``form_token`` (``{% form_token %}``), new at each page
# shown. Its first submission claims it (a row of ``web.SentForm``, unique); a second one with
# the same token (a double click, a reload, a back-and-resubmit) writes nothing: it goes to
# what the first created, or says the form was already sent. A refused submission (the form
# comes back with its errors) releases its token, so that the corrected form can be sent.

FORM_TOKEN = "form_token"
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
SENT_FORMS_KEPT = timedelta(days=2)


def new_form_token() -> str:
    return uuid.uuid4().hex


def _claim(request: HttpRequest, token: str):
    """The ``SentForm`` of an earlier submission of ``token``, or ``None`` once this request
    has claimed it."""
    from clausier.web.models import SentForm

    user_id = getattr(getattr(request, "user", None), "pk", None)
    try:
        with transaction.atomic():
            SentForm.objects.create(token=token, user_id=user_id, path=request.path[:500])
    except IntegrityError:
        return SentForm.objects.filter(token=token).first()
    # A token is for a double submit, not an archive: the old ones go.
    SentForm.objects.filter(created_at__lt=timezone.now() - SENT_FORMS_KEPT).delete()
    return None


def _settle(token: str, response: HttpResponse) -> None:
    from clausier.web.models import SentForm

    if 300 <= response.status_code < 400 and response.has_header("Location"):
        SentForm.objects.filter(token=token).update(result_url=response["Location"][:500])
    else:  # refused or failed: nothing was created, the corrected form may be sent
        SentForm.objects.filter(token=token).delete()


def _already_sent(request: HttpRequest, sent) -> HttpResponse:
    if sent.result_url:
        messages.info(request, _("Déjà enregistré : ce formulaire avait déjà été envoyé."))
        return HttpResponseRedirect(sent.result_url)
    return HttpResponse(
        _("Déjà enregistré : ce formulaire a déjà été envoyé et est en cours d'enregistrement."),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


class OneTimeFormMiddleware:
    """Applies the one-time token of a form post (see above); posts without one, and the
    API's, pass untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        sent = _claim(request, token)
        if sent is not None:
            return _already_sent(request, sent)
        try:
            response = self.get_response(request)
        except Exception:
            _settle(token, HttpResponse(status=500))
            raise
        _settle(token, response)
        return response

    @staticmethod
    def _token(request: HttpRequest) -> str | None:
        if request.method != "POST" or request.path.startswith("/api/"):
            return None
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        token = request.POST.get(FORM_TOKEN, "")
        return token if _TOKEN_RE.match(token) else None


class ConfidentialityForm(forms.Form):
    """A confidential document's flag and the staff named on it (seed 002 art. 9)."""

    confidential = forms.BooleanField(label=_("Confidentiel"), required=False)
    staff = forms.ModelMultipleChoiceField(
        label=_("Personnes autorisées"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le propriétaire du compte y a toujours accès."),
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
