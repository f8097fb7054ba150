"""Refusals of the services speak the language of the page (gettext at raise time), French
unchanged: a quote accepted after its validity, work started while the deposit is awaited, a
bad catalog price.

Each message is compared, under English, with gettext of its French msgid under English: with
the project's catalogue (the lead fills the English) and with a small English catalogue
compiled here, which proves the message is looked up in the language active when it is
raised rather than built in French."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from clausier.catalog import services as catalog_services
from clausier.orders import services as order_services
from clausier.quotes import services as quote_services
from clausier.quotes.services import QuoteNotAcceptable
from clausier.rules.money import format_eur, format_percent
from tests.factories.catalog import make_product
from tests.factories.quotes import paris, sent_quote

pytestmark = pytest.mark.django_db

EXPIRED = (
    "Le devis %(number)s a expiré le %(until)s à minuit (heure de Paris) : il ne peut plus "
    "être accepté. Un devis expiré est considéré comme annulé (%(cgv)s) ; demandez un nouveau "
    "devis."
)
CGV = "art. 3 des CGV %(terms)s"
WORK_REFUSED = "Travaux impossibles à démarrer, %(reason)s."
# A sentence of the rules' kind (``words``): worded when raised, its figures in that language.
AWAITING_DEPOSIT = (
    "en attente d'acompte : {article} CGV {terms}, {rate} du total HT ({amount}) à "
    "encaisser avant le début des travaux"
)
PRICE_IN_THE_PAST = (
    "Un nouveau prix ne prend pas effet dans le passé (%(date)s, nous sommes le %(today)s) : "
    "les prix d'hier restent ceux d'hier."
)

# English of the msgids above, as a translator would write it.
ENGLISH = {
    EXPIRED: "Quote %(number)s expired on %(until)s at midnight (Paris time): it can no longer "
    "be accepted. An expired quote is considered cancelled (%(cgv)s); ask for a new quote.",
    CGV: "art. 3 of the terms %(terms)s",
    WORK_REFUSED: "Work cannot start, %(reason)s.",
    AWAITING_DEPOSIT: "awaiting the deposit: {article} terms {terms}, {rate} of the total "
    "excl. VAT ({amount}) to be cashed before work starts",
    PRICE_IN_THE_PAST: "A new price does not take effect in the past (%(date)s, today is "
    "%(today)s): yesterday's prices stay yesterday's.",
}


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(params=["project", "compiled here"])
def catalogue(request, settings, tmp_path):
    """English from the project's catalogue, or from ``ENGLISH`` compiled into a catalogue
    that takes precedence over it."""
    if request.param == "project":
        return None
    folder = tmp_path / "locale" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = [
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n',
        *(
            f"#, {'python-brace-format' if '{' in msgid else 'python-format'}\n"
            f"msgid {po_string(msgid)}\nmsgstr {po_string(english)}\n"
            for msgid, english in ENGLISH.items()
        ),
    ]
    (folder / "django.po").write_text("\n".join(entries), encoding="utf-8")
    subprocess.run(
        ["msgfmt", "--check", "-o", str(folder / "django.mo"), str(folder / "django.po")],
        check=True,
    )
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    return ENGLISH


def english_of(message: str, catalogue: dict[str, str] | None, values: dict) -> str | None:
    """What the compiled catalogue makes of ``message`` (None with the project's own)."""
    if catalogue is None:
        return None
    english = catalogue[message]
    return english.format(**values) if "{" in message else english % values


def test_accepting_an_expired_quote_is_refused_in_the_pages_language(
    catalogue, agency, bakery, bakery_contact
):
    quote = sent_quote(agency, bakery, valid_until=date(2026, 5, 31))
    assert quote_services.expire_quote(quote=quote, now=paris(2026, 6, 1, 2))

    def accept():
        quote_services.accept_quote_online(
            quote=quote,
            contact=bakery_contact,
            signatory_name="Camille Martin",
            signatory_role="Gérante",
            consent=True,
            ip_address="203.0.113.7",
            user_agent="Firefox",
            now=paris(2026, 6, 2, 9),
        )

    with translation.override("en"), pytest.raises(QuoteNotAcceptable) as refused:
        accept()
    with translation.override("en"):
        cgv = gettext(CGV) % {"terms": "v3.0"}
        expected = gettext(EXPIRED) % {"number": "D2026-000001", "until": "31/05/2026", "cgv": cgv}
    assert str(refused.value) == expected
    if catalogue:
        assert str(refused.value) == (
            "Quote D2026-000001 expired on 31/05/2026 at midnight (Paris time): it can no longer "
            "be accepted. An expired quote is considered cancelled (art. 3 of the terms v3.0); "
            "ask for a new quote."
        )

    with pytest.raises(QuoteNotAcceptable) as in_french:
        accept()
    assert str(in_french.value).startswith("Le devis D2026-000001 a expiré le 31/05/2026")


def test_work_refused_while_the_deposit_is_awaited_says_so_in_the_pages_language(
    catalogue, agency, bakery, bakery_contact, agency_sales
):
    order = quote_services.accept_quote_online(
        quote=sent_quote(agency, bakery),
        contact=bakery_contact,
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        consent=True,
        ip_address="203.0.113.7",
        user_agent="Firefox",
        now=paris(2026, 5, 6, 9),
    ).order
    values = {  # the figures in English, as the page reads them
        "article": "art. 5",
        "terms": "v3.0",
        "rate": format_percent(order.deposit.rate, locale="en"),
        "amount": format_eur(order.deposit.amount, locale="en"),
    }

    with translation.override("en"), pytest.raises(order_services.WorkCannotStart) as refused:
        order_services.start_work(order=order, by=agency_sales, now=paris(2026, 5, 7))
    with translation.override("en"):
        expected = gettext(WORK_REFUSED) % {"reason": gettext(AWAITING_DEPOSIT).format(**values)}
    assert str(refused.value) == expected
    if catalogue:
        reason = english_of(AWAITING_DEPOSIT, catalogue, values)
        assert str(refused.value) == f"Work cannot start, {reason}."
        assert "30% of the total excl. VAT (€1,023.30) to be cashed" in str(refused.value)


def test_a_bad_catalog_price_is_refused_in_the_pages_language(catalogue, agency):
    product = make_product(agency, price_ht="100.00", effective_from=date(2020, 1, 1))
    today = catalog_services.today()
    yesterday = today - timedelta(days=1)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        catalog_services.change_price(
            product=product, unit_price_ht=Decimal("120.00"), effective_from=yesterday, by=None
        )
    values = {"date": f"{yesterday:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"}
    with translation.override("en"):
        expected = gettext(PRICE_IN_THE_PAST) % values
    assert refused.value.message_dict["effective_from"] == [expected]
    if catalogue:
        assert expected == english_of(PRICE_IN_THE_PAST, catalogue, values)

    # A negative price: Django's own validator, already in English under English.
    with translation.override("en"), pytest.raises(ValidationError) as negative:
        make_product(agency, price_ht="-1")
    assert negative.value.message_dict["unit_price_ht"] == [
        "Ensure this value is greater than or equal to 0."
    ]
