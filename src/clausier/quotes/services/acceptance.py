"""A sent quote accepted: online, by e-mail or by post, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email import policy
from email.parser import BytesParser
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_event
from clausier.customers import selectors as customer_selectors
from clausier.customers.models import Client, ClientKind, Contact
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.kernel.inputs import MAX_UTC_OFFSET, check_date_window
from clausier.kernel.uploads import upload_refusal
from clausier.kernel.wording import worded
from clausier.quotes import domain
from clausier.quotes import transitions as t
from clausier.quotes.events import QuoteAccepted, QuoteTermsAccepted
from clausier.quotes.models import (
    AttachmentKind,
    Quote,
    QuoteAcceptance,
    QuoteAcceptanceMethod,
    QuoteStatus,
)
from clausier.quotes.services.support import (
    SHA256_RE,
    AcceptedQuote,
    IncompleteEvidence,
    QuoteNotAcceptable,
    file_sha256,
    locked_quote,
    quote_tz,
)
from clausier.terms import selectors as terms_selectors
from clausier.terms.models import AcceptanceMethod, TermsStatus, TermsVersion

# --- acceptance -------------------------------------------------------------------------


def _successor(quote: Quote) -> str:
    following = Quote.objects.filter(previous=quote).only("number", "revision").first()
    return following.display_number if following else ""


def _acceptable(quote: Quote, at: datetime, *, evidence: str = "") -> TermsVersion:
    """Refuse, saying why, unless ``quote`` can be accepted by consent dated ``at``; return
    its terms version, locked.

    ``evidence`` names the consent staff record (``domain.EMAIL_EVIDENCE``,
    ``domain.POSTAL_EVIDENCE``): dated within the validity, it accepts a quote the expiry task
    has already marked expired (art. 3; ``transitions.CONDITIONS``)."""
    suspended = customer_selectors.suspension_refusal(client=quote.client)
    if suspended:
        raise QuoteNotAcceptable(suspended)
    refusal = domain.refusal_to_accept(
        status=quote.status,
        number=quote.display_number,
        valid_until=quote.valid_until,
        at=at,
        tz=quote_tz(),
        terms_label=quote.terms_label,
        successor=_successor(quote) if quote.status == QuoteStatus.SUPERSEDED else "",
        evidence=evidence,
    )
    if refusal:
        raise QuoteNotAcceptable(refusal)
    in_time = bool(evidence) and domain.evidence_in_time(
        valid_until=quote.valid_until, at=at, tz=quote_tz()
    )
    t.check(
        label=str(quote),
        current=quote.status,
        target=t.ACCEPTED,
        met={t.EVIDENCE_DATED_IN_TIME} if in_time else (),
    )
    version = TermsVersion.objects.select_for_update().get(pk=quote.terms_version_id)
    if version.status != TermsStatus.PUBLISHED:
        current = terms_selectors.current_version(seller=quote.seller)
        values = {"terms": version.label, "number": quote.display_number}
        if current:
            message = _(
                "Les CGV %(terms)s que nomme le devis %(number)s ont été remplacées par la "
                "version %(current)s : le devis ne peut plus être accepté tel quel. Révisez-le "
                "pour qu'il nomme les CGV en vigueur."
            ) % (values | {"current": current.label})
        else:
            message = (
                _(
                    "Les CGV %(terms)s que nomme le devis %(number)s ont été remplacées : le "
                    "devis ne peut plus être accepté tel quel. Révisez-le pour qu'il nomme les "
                    "CGV en vigueur."
                )
                % values
            )
        raise QuoteNotAcceptable(message)
    return version


def _statement(quote: Quote) -> str:
    return worded(
        domain.consent_statement(
            number=quote.display_number,
            terms_label=quote.terms_label,
            has_specification=quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).exists(),
        )
    )


def _specification_sha256(quote: Quote) -> str:
    spec = quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).first()
    return spec.sha256 if spec else ""


def _complete(
    *,
    quote: Quote,
    version: TermsVersion,
    by,
    at: datetime,
    method: str,
    terms_method: str,
    signatory_name: str,
    evidence: dict[str, Any],
    accepted_by=None,
    evidence_file: File | None = None,
) -> AcceptedQuote:
    """Record both acceptances and accept the quote, in the caller's transaction: the
    :class:`QuoteTermsAccepted` fact records the terms acceptance, the :class:`QuoteAccepted`
    fact opens the order."""
    publish(
        QuoteTermsAccepted(
            quote_id=quote.pk,
            client_id=quote.client_id,
            version_id=version.pk,
            method=terms_method,
            signatory_name=signatory_name,
            at=at,
            by=by,
            accepted_by=accepted_by,
            ip_address=evidence.get("ip_address"),
            user_agent=evidence.get("user_agent", ""),
            message_id=evidence.get("email_message_id", ""),
            evidence_file=evidence_file,
        )
    )
    terms_acceptance = terms_selectors.last_acceptance(
        client_id=quote.client_id, version_id=version.pk
    )
    acceptance = QuoteAcceptance(
        quote=quote,
        terms_acceptance=terms_acceptance,
        method=method,
        accepted_at=at,
        signatory_name=signatory_name.strip(),
        statement=_statement(quote),
        specification_sha256=_specification_sha256(quote),
        recorded_by=acting_user(by=by),
        **evidence,
    )
    if evidence_file is not None:
        acceptance.evidence_sha256 = file_sha256(file=evidence_file)
        acceptance.evidence_file.save(
            PurePath(evidence_file.name or "evidence").name, evidence_file, save=False
        )
    acceptance.full_clean()
    acceptance.save()
    previous = quote.status
    quote.status = QuoteStatus.ACCEPTED
    quote.closed_at = at
    quote.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.accepted",
        before={"status": previous},
        after={
            "status": t.ACCEPTED,
            "method": method,
            "signatory": acceptance.signatory_name,
            "terms": version.label,
            "accepted_at": at.isoformat(),
        },
    )
    # The order it becomes (and its deposit invoice) is opened in this transaction.
    publish(QuoteAccepted(quote_id=quote.pk, seller_id=quote.seller_id, at=at, by=by))
    return AcceptedQuote(quote=quote, acceptance=acceptance)


def _signatory_errors(client: Client, name: str, role: str) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["signatory_name"] = _("le nom du signataire est obligatoire")
    if client.kind != ClientKind.CONSUMER and not role.strip():
        errors["signatory_role"] = _("indiquez la qualité du signataire (gérant, président…)")
    return errors


@transaction.atomic
def accept_quote_online(
    *,
    quote: Quote,
    contact: Contact,
    signatory_name: str,
    signatory_role: str,
    consent: bool,
    ip_address: str | None,
    user_agent: str,
    document_sha256: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """A client contact accepts the quote in the portal: ticks the statement
    (:func:`clausier.quotes.selectors.consent_statement`), types name and role. Stores IP,
    user agent, time and the SHA-256 of the quote PDF shown; records the acceptance of the
    terms version the quote names (method ``checkbox``)."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    version = _acceptable(quote, now)
    errors = _signatory_errors(quote.client, signatory_name, signatory_role)
    if contact.client_id != quote.client_id:
        errors["contact"] = _("ce contact n'appartient pas au client du devis")
    elif contact.user_id is None:
        errors["contact"] = _("une acceptation en ligne est faite par un contact connecté")
    if consent is not True:
        errors["consent"] = _("cochez « %(statement)s » pour accepter le devis") % {
            "statement": _statement(quote)
        }
    if document_sha256 and not SHA256_RE.match(document_sha256):
        errors["document_sha256"] = _("empreinte SHA-256 attendue (64 caractères hexadécimaux)")
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=contact.user,
        at=now,
        method=QuoteAcceptanceMethod.ONLINE,
        terms_method=AcceptanceMethod.CHECKBOX,
        signatory_name=signatory_name,
        accepted_by=contact.user,
        evidence={
            "contact": contact,
            "signatory_role": signatory_role.strip(),
            "ip_address": ip_address or None,
            "user_agent": (user_agent or "")[:500],
            "document_sha256": document_sha256,
        },
    )


@dataclass(frozen=True)
class ParsedEmail:
    sender: str
    sender_name: str
    date: datetime
    message_id: str
    subject: str


def parse_consent_email(*, data: bytes) -> ParsedEmail:
    """Sender, date, Message-ID and subject of an .eml file (RFC 5322), or a ValidationError
    naming what is missing. A date without a zone (``-0000``) is taken as UTC."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        sender_header = message["From"]
        date_header = message["Date"]
        message_id = str(message["Message-ID"] or "").strip()
        subject = str(message["Subject"] or "").strip()
        addresses = getattr(sender_header, "addresses", ()) if sender_header else ()
        sent = getattr(date_header, "datetime", None) if date_header else None
    except (ValueError, TypeError, IndexError) as exc:
        raise ValidationError({"eml": _("e-mail illisible : %(error)s") % {"error": exc}}) from None
    present = {
        _("expéditeur (From)"): addresses,
        _("date (Date)"): sent,
        "Message-ID": message_id,
    }
    missing = [label for label, value in present.items() if not value]
    if missing:
        raise ValidationError(
            {
                "eml": _("ce fichier n'est pas un e-mail complet : il manque %(missing)s")
                % {"missing": ", ".join(missing)}
            }
        )
    if timezone.is_naive(sent):
        sent = sent.replace(tzinfo=UTC)
    if abs(sent.utcoffset()) > MAX_UTC_OFFSET:
        raise ValidationError({"eml": _("date (Date) : décalage UTC hors de ±15:59")})
    check_date_window(sent, "eml")
    if any("\x00" in text for text in (message_id, subject, addresses[0].display_name)):
        raise ValidationError({"eml": _("e-mail illisible : caractère NUL dans un en-tête")})
    return ParsedEmail(
        sender=addresses[0].addr_spec,
        sender_name=addresses[0].display_name,
        date=sent,
        message_id=message_id[:300],
        subject=subject[:300],
    )


@transaction.atomic
def record_email_acceptance(
    *,
    quote: Quote,
    eml: File,
    by: Actor,
    signatory_name: str = "",
    signatory_role: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """Staff records the client's email of consent (art. 3: "par courrier électronique avec
    l'expression du consentement du client"), uploaded as an .eml. Its sender, Date and
    Message-ID are stored; the consent dates from the email's Date, which must fall within
    the quote's validity, after it was sent and not in the future. An email dated within the
    validity accepts the quote even when the expiry task has since marked it expired."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    if refusal := upload_refusal(eml, use="email"):
        raise ValidationError({"eml": refusal})
    parsed = parse_consent_email(data=b"".join(eml.chunks()))
    eml.seek(0)
    version = _acceptable(quote, parsed.date, evidence=domain.EMAIL_EVIDENCE)
    errors: dict[str, str] = {}
    name = signatory_name.strip() or parsed.sender_name or parsed.sender
    dated = f"{timezone.localtime(parsed.date):%d/%m/%Y %H:%M}"
    if parsed.date > now:
        errors["eml"] = _("l'e-mail est daté du %(date)s, dans le futur") % {"date": dated}
    elif quote.sent_at and parsed.date < quote.sent_at:
        errors["eml"] = _("l'e-mail est daté du %(date)s, avant l'envoi du devis le %(sent)s") % {
            "date": dated,
            "sent": f"{timezone.localtime(quote.sent_at):%d/%m/%Y %H:%M}",
        }
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=by,
        at=parsed.date,
        method=QuoteAcceptanceMethod.EMAIL,
        terms_method=AcceptanceMethod.EMAIL_CONSENT,
        signatory_name=name,
        evidence_file=eml,
        evidence={
            "signatory_role": signatory_role.strip(),
            "email_from": parsed.sender[:300],
            "email_date": parsed.date,
            "email_message_id": parsed.message_id,
            "email_subject": parsed.subject,
        },
    )


@transaction.atomic
def record_postal_acceptance(
    *,
    quote: Quote,
    scan: File,
    signatory_name: str,
    signed_on: date,
    shows_bon_pour_accord: bool,
    shows_signature: bool,
    shows_date: bool,
    shows_stamp: bool,
    by: Actor,
    signatory_role: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """Staff records the signed copy returned by post (art. 3: "dûment signé et daté avec la
    mention « Bon pour Accord » ... ainsi que du cachet commercial s'il y a lieu"), scanned.
    Staff confirms what the scan shows; each mention missing refuses the acceptance, the
    company stamp only for a company. The copy must be signed (``signed_on``) within the
    quote's validity, even when it arrives later and the expiry task has since marked the
    quote expired; the consent counts from its receipt (``now``)."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    signed_at = datetime.combine(signed_on, time(0), tzinfo=quote_tz())
    version = _acceptable(quote, signed_at, evidence=domain.POSTAL_EVIDENCE)
    missing = domain.missing_postal_mentions(
        bon_pour_accord=shows_bon_pour_accord,
        signature=shows_signature,
        date=shows_date,
        stamp=shows_stamp,
        stamp_required=quote.client.kind == ClientKind.COMPANY,
    )
    if missing:
        raise IncompleteEvidence(
            domain.postal_refusal(
                missing, number=quote.display_number, terms_label=quote.terms_label
            ),
            missing,
        )
    errors = _signatory_errors(quote.client, signatory_name, signatory_role)
    today = timezone.localdate(now, timezone=quote_tz())
    sent_on = timezone.localdate(quote.sent_at, timezone=quote_tz())
    if signed_on > today:
        errors["signed_on"] = _("la date de signature ne peut pas être postérieure à aujourd'hui")
    elif signed_on < sent_on:
        errors["signed_on"] = _("la date de signature précède l'envoi du devis le %(date)s") % {
            "date": f"{sent_on:%d/%m/%Y}"
        }
    if not scan:
        errors["scan"] = _("joignez la copie numérisée de l'exemplaire signé")
    elif refusal := upload_refusal(scan, use="postal_scan"):
        errors["scan"] = refusal
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=by,
        at=now,
        method=QuoteAcceptanceMethod.POSTAL,
        terms_method=AcceptanceMethod.POSTAL_SCAN,
        signatory_name=signatory_name,
        evidence_file=scan,
        evidence={
            "signatory_role": signatory_role.strip(),
            "signed_on": signed_on,
            "postal_checks": {
                "bon_pour_accord": shows_bon_pour_accord,
                "signature": shows_signature,
                "date": shows_date,
                "stamp": shows_stamp,
                "stamp_required": quote.client.kind == ClientKind.COMPANY,
            },
        },
    )
