"""Staff screens of contracts: the list (each with its next term and notice deadline), the
renewals coming (with the consumer's Chatel clock: window, letter sent or not), and a
contract's page (its services, timeline of notices and renewal letters, the final sums of a
terminated one) where a notice received by registered letter is recorded.

Thin: reads through ``contracts.selectors``, writes through ``contracts.services``."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.contracts import presenters, selectors, services
from clausier.contracts import transitions as t
from clausier.contracts.models import AnswerChannel, ContractStatus
from clausier.contracts.ui.forms import (
    ArchiveRequestForm,
    BreachForm,
    ClaimForm,
    DomainForm,
    ForceMajeureEndForm,
    ForceMajeureForm,
    ForceMajeureTerminateForm,
    InsolvencyAnswerForm,
    InsolvencyForm,
    InsolvencyTerminateForm,
    NewContractForm,
    NoticeForm,
    PriceRevisionForm,
    RemedyForm,
    RestoreForm,
    RevisionAnswerForm,
)
from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import ClientFilters
from clausier.sellers import confidentiality
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import current_version
from clausier.web.forms import ConfidentialityForm, submit

PER_PAGE = 50
# How far ahead "renewals coming" looks: the Chatel window opens three months before a
# deadline that is itself at least a month before the term.
RENEWALS_AHEAD = timedelta(days=183)


@staff_view("orders.view")
def contracts(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ContractStatus.values else ""
    page = Paginator(selectors.visible_to(scope=scope, status=status), PER_PAGE)
    current = page.get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render_staff(
        request,
        scope,
        "contracts/backoffice/list.html",
        {
            "page": current,
            "rows": [(c, presenters.clock(c, today=today)) for c in current],
            "status": status,
            "statuses": ContractStatus.choices,
        },
    )


@staff_view("orders.view")
def contract_renewals(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    today = timezone.localdate()
    coming = selectors.renewals_coming(scope=scope, until=today + RENEWALS_AHEAD)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/renewals.html",
        {"rows": [(c, presenters.clock(c, today=today)) for c in coming[:200]]},
    )


@staff_view("orders.view")
def contract(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    return _page(request, scope, found, NoticeForm())


def _revision_forms(found, forms) -> dict:
    """The price revision's forms (seed 002 art. 12b): propose one before the term, or
    record the client's written answer to the pending one."""
    pending = selectors.pending_revision_of(contract=found)
    may_propose = (
        found.status in t.NOTICE_OPEN
        and selectors.has_clause(contract=found, kind=ClauseKind.MAINTENANCE_PRICE_REVISION)
        and selectors.revision_of_term(contract=found) is None
        and timezone.localdate() <= found.term_end
    )
    lines = list(selectors.lines_of(contract=found))
    return {
        "revisions": selectors.revisions_of(contract=found),
        "pending_revision": pending,
        "revision_form": forms.get("revision_form")
        or (PriceRevisionForm(lines=lines) if may_propose else None),
        "revision_answer_form": forms.get("revision_answer_form")
        or (RevisionAnswerForm() if pending else None),
    }


def _insolvency_forms(found, forms) -> dict:
    """The insolvency termination's forms (seed 002 art. 7 al. 3) with the legal lint's
    warning on the clause (C. com. L622-13)."""
    running = found.status in t.RUNNING and selectors.has_clause(
        contract=found, kind=ClauseKind.CONTRACT_TERMINATION_INSOLVENCY
    )
    open_notice = selectors.open_insolvency_notice_of(contract=found)
    return {
        "insolvency_notices": selectors.insolvency_notices_of(contract=found),
        "open_insolvency": open_notice,
        "insolvency_warning": presenters.insolvency_warning(found, today=timezone.localdate())
        if running
        else None,
        "insolvency_form": forms.get("insolvency_form")
        or (InsolvencyForm() if running and not open_notice else None),
        "insolvency_answer_form": forms.get("insolvency_answer_form")
        or (InsolvencyAnswerForm() if running and open_notice else None),
        "insolvency_terminate_form": forms.get("insolvency_terminate_form")
        or (InsolvencyTerminateForm() if running and open_notice else None),
    }


def _page(request, scope, found, form, *, status: int = 200, **forms) -> HttpResponse:
    running = found.status in t.RUNNING
    open_breach = selectors.open_breach_of(contract=found)
    open_event = selectors.open_force_majeure_of(contract=found)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/detail.html",
        {
            "contract": found,
            "clock": presenters.clock(found, today=timezone.localdate()),
            "lines": selectors.lines_of(contract=found),
            "notices": selectors.notices_of(contract=found),
            "letters": selectors.letters_of(contract=found),
            "may_record_notice": presenters.may_terminate_online(found),
            "form": form,
            "breaches": selectors.breaches_of(contract=found),
            "force_majeure_events": selectors.force_majeure_of(contract=found),
            "open_breach": open_breach,
            "open_event": open_event,
            "breach_form": forms.get("breach_form") or (BreachForm() if running else None),
            "remedy_form": forms.get("remedy_form")
            or (RemedyForm() if running and open_breach else None),
            "force_majeure_form": forms.get("force_majeure_form")
            or (ForceMajeureForm() if running and not open_event else None),
            "end_form": forms.get("end_form")
            or (ForceMajeureEndForm() if running and open_event else None),
            "fm_terminate_form": forms.get("fm_terminate_form")
            or (ForceMajeureTerminateForm() if running and open_event else None),
            "running": running,
            "domains": selectors.domains_of(contract=found),
            "domain_form": DomainForm(),
            "restores": selectors.restores_of(contract=found),
            "has_backup": selectors.has_backup_option(contract=found),
            "restore_form": RestoreForm(),
            "fee": selectors.restore_fee(contract=found),
            "confidentiality": _confidentiality(scope, found, forms.get("confidentiality_form")),
            "claims": selectors.claims_of(contract=found),
            "claim_form": forms.get("claim_form") or ClaimForm(),
            "archives": selectors.archives_of(contract=found),
            "archive_refusal": selectors.archive_refusal(found),
            "archive_form": forms.get("archive_form")
            or (None if selectors.open_archive_of(contract=found) else ArchiveRequestForm()),
            "today": timezone.localdate(),
        }
        | _revision_forms(found, forms)
        | _insolvency_forms(found, forms),
        status=status,
    )


def _confidentiality(scope: StaffScope, found, form=None) -> dict:
    """The "Confidentialité" panel: the flag, the names, the form for who may change them."""
    named = list(found.confidential_staff.all())
    return {
        "names": [u.get_full_name() or u.get_username() for u in named],
        "may_change": scope.can("orders.edit")
        and confidentiality.change_refusal(found, by=scope.user) is None,
        "form": form
        or ConfidentialityForm(
            staff=confidentiality.staff_choices(seller=scope.seller),
            initial={"confidential": found.confidential, "staff": [u.pk for u in named]},
            prefix="conf",
        ),
    }


@staff_action("orders.edit")
def contract_confidentiality(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The contract's confidential flag and named staff (seed 002 art. 9), audited."""
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    form = ConfidentialityForm(
        request.POST, staff=confidentiality.staff_choices(seller=scope.seller), prefix="conf"
    )
    done = submit(
        form,
        lambda data: services.set_confidentiality(
            contract=found,
            confidential=data["confidential"],
            staff_ids=[u.pk for u in data["staff"]],
            by=request.user,
        ),
    )
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=found.pk)
    return _page(request, scope, found, NoticeForm(), status=done.status, confidentiality_form=form)


@staff_action("orders.edit")
def contract_notice(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A notice received by the seller recorded with its evidence (audited)."""
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    form = NoticeForm(request.POST)

    def write(data):
        return services.record_notice(contract=found, by=request.user, **data)

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=found.pk)
    return _page(request, scope, found, form, status=done.status)


@staff_view("orders.edit")
def contract_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """A contract opened by staff (« Nouveau contrat »): client, lines, start, period; its
    renewal read from the seller's current terms."""
    clients = list(client_selectors.client_list(scope=scope, filters=ClientFilters()))
    form = NewContractForm(request.POST if request.method == "POST" else None, clients=clients)

    def write(data):
        return services.open_contract(
            seller=scope.seller,
            client=client_selectors.client_for_scope(scope=scope, client_id=data["client"]),
            reference=data["reference"].strip(),
            start_on=data["start_on"],
            period_months=data["period_months"],
            lines=form.lines(),
            terms_version=current_version(seller=scope.seller),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=done.result.pk)
    return render_staff(
        request, scope, "contracts/backoffice/new.html", {"form": form}, status=done.status
    )


def _act(request, scope, contract_id: int, form_class, slot: str, write) -> HttpResponse:
    """One of the contract page's forms sent: ``write(found, data)`` through a service; the
    page again with the form's errors when refused."""
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    form = form_class(request.POST, **_form_kwargs(form_class, found))
    done = submit(form, lambda data: write(found, data))
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=found.pk)
    return _page(request, scope, found, NoticeForm(), status=done.status, **{slot: form})


@staff_action("orders.edit")
def contract_breach(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A registered letter naming a breach (seed 002 art. 7), audited."""
    return _act(
        request,
        scope,
        contract_id,
        BreachForm,
        "breach_form",
        lambda found, data: services.record_breach(contract=found, by=request.user, **data),
    )


def _open_breach(found):
    breach = selectors.open_breach_of(contract=found)
    if breach is None:
        raise Http404
    return breach


def _open_event(found):
    event = selectors.open_force_majeure_of(contract=found)
    if event is None:
        raise Http404
    return event


@staff_action("orders.edit")
def contract_remedy(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """The notified breach remedied (by its deadline, the contract goes on)."""
    return _act(
        request,
        scope,
        contract_id,
        RemedyForm,
        "remedy_form",
        lambda found, data: services.record_remedy(
            breach=_open_breach(found), by=request.user, **data
        ),
    )


@staff_action("orders.edit")
def contract_force_majeure(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """A force majeure event and its notification (seed 002 art. 8)."""
    return _act(
        request,
        scope,
        contract_id,
        ForceMajeureForm,
        "force_majeure_form",
        lambda found, data: services.record_force_majeure(contract=found, by=request.user, **data),
    )


@staff_action("orders.edit")
def contract_force_majeure_end(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The force majeure event over: obligations and clocks resume."""
    return _act(
        request,
        scope,
        contract_id,
        ForceMajeureEndForm,
        "end_form",
        lambda found, data: services.end_force_majeure(
            event=_open_event(found), by=request.user, **data
        ),
    )


@staff_action("orders.edit")
def contract_force_majeure_terminate(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The contract ended for a force majeure lasting beyond the terms' period."""
    return _act(
        request,
        scope,
        contract_id,
        ForceMajeureTerminateForm,
        "fm_terminate_form",
        lambda found, data: services.terminate_for_force_majeure(
            event=_open_event(found), by=request.user, **data
        ),
    )


def _form_kwargs(form_class, found) -> dict:
    if form_class is PriceRevisionForm:
        return {"lines": list(selectors.lines_of(contract=found))}
    return {}


@staff_action("orders.edit")
def contract_price_revision(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """A higher price proposed at term (seed 002 art. 12b), e-mailed to the client."""
    return _act(
        request,
        scope,
        contract_id,
        PriceRevisionForm,
        "revision_form",
        lambda found, data: services.propose_price_revision(
            contract=found, by=request.user, **PriceRevisionForm.values(data)
        ),
    )


def _pending_revision(found):
    revision = selectors.pending_revision_of(contract=found)
    if revision is None:
        raise Http404
    return revision


@staff_action("orders.edit")
def contract_price_revision_answer(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The client's written answer to the revised price, recorded by staff."""
    return _act(
        request,
        scope,
        contract_id,
        RevisionAnswerForm,
        "revision_answer_form",
        lambda found, data: services.answer_price_revision(
            revision=_pending_revision(found),
            accept=data["accept"],
            channel=AnswerChannel.WRITTEN,
            by=request.user,
        ),
    )


def _open_insolvency(found):
    notice = selectors.open_insolvency_notice_of(contract=found)
    if notice is None:
        raise Http404
    return notice


@staff_action("orders.edit")
def contract_insolvency(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A formal notice to an insolvent party's administrator (seed 002 art. 7 al. 3)."""
    return _act(
        request,
        scope,
        contract_id,
        InsolvencyForm,
        "insolvency_form",
        lambda found, data: services.record_insolvency_notice(
            contract=found, by=request.user, **data
        ),
    )


@staff_action("orders.edit")
def contract_insolvency_answer(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The administrator answered the formal notice: no termination on it."""
    return _act(
        request,
        scope,
        contract_id,
        InsolvencyAnswerForm,
        "insolvency_answer_form",
        lambda found, data: services.record_insolvency_answer(
            notice=_open_insolvency(found), by=request.user, **data
        ),
    )


@staff_action("orders.edit")
def contract_insolvency_terminate(
    request: HttpRequest, scope: StaffScope, contract_id: int
) -> HttpResponse:
    """The contract ended, the formal notice left unanswered beyond the month."""
    return _act(
        request,
        scope,
        contract_id,
        InsolvencyTerminateForm,
        "insolvency_terminate_form",
        lambda found, data: services.terminate_for_insolvency(
            notice=_open_insolvency(found), by=request.user, **data
        ),
    )


@staff_action("orders.edit")
def contract_claim(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A liability claim received by registered letter (seed 002 art. 10), its cap measured
    at once; audited."""
    return _act(
        request,
        scope,
        contract_id,
        ClaimForm,
        "claim_form",
        lambda found, data: services.record_claim(contract=found, by=request.user, **data),
    )


@staff_action("orders.edit")
def contract_archive(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A written request for the site's archive (seed 002 art. 7), audited."""
    return _act(
        request,
        scope,
        contract_id,
        ArchiveRequestForm,
        "archive_form",
        lambda found, data: services.record_archive_request(
            contract=found, by=request.user, **data
        ),
    )
