"""Issued documents of every kind, as the snapshot the issuing service freezes.

The outputs (Factur-X XML, PDF) are made from an ``InvoiceDocument`` alone, so these tests
build snapshots directly: a standard invoice at 20 % and 10 %, a franchise 293 B invoice, an
EU reverse-charge invoice, a deposit invoice, a final invoice deducting that deposit and a
credit note correcting the standard invoice. Every figure is worked out in a comment.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

from clausier.invoicing.document import (
    Address,
    ClauseUsed,
    Condition,
    Deduction,
    InvoiceDocument,
    Line,
    Party,
    VatGroup,
)

FRANCHISE = "TVA non applicable, art. 293 B du CGI"
REVERSE_CHARGE = "Autoliquidation"
NO_DISCOUNT = "Pas d'escompte pour paiement anticipé."
INDEMNITY = (
    "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40,00 € "
    "(C. com. L441-10 et D441-5)."
)

# 2026 S1 legal rate (professional creditor): 2,62 %; three times that is 7,86 %.
PENALTY_RATE = D("7.86")
PENALTY = (
    "En cas de retard, pénalités au taux annuel de 7,86 % (3 fois le taux de l'intérêt légal "
    "du 1er semestre 2026, 2,62 %), exigibles dès le lendemain de l'échéance sans rappel "
    "(C. com. L441-10)."
)

PAAS = Party(
    name="Clever Cloud",
    address=Address(line1="3 rue de l'Allier", postal_code="44000", city="Nantes"),
    legal_form="SAS",
    share_capital=D("150000.00"),
    siren="524172699",
    rcs_city="Nantes",
    vat_number="FR87524172699",
    email="commercial@clever-cloud.com",
    einvoice_scheme="0225",
    einvoice_address="524172699",
)
# A fictitious web agency under the VAT franchise: a SIREN, no VAT number.
AGENCY = Party(
    name="Studio Exemple",
    address=Address(line1="12 quai de la Fosse", postal_code="44000", city="Nantes"),
    legal_form="EI",
    siren="812345676",
    siret="81234567600015",
    email="bonjour@studio-exemple.fr",
    # Its platform gave it an address with a routing suffix in the directory.
    einvoice_scheme="0225",
    einvoice_address="812345676_FACTURES",
)
CLIENT = Party(
    name="Boulangerie Martin SARL",
    address=Address(
        line1="8 rue Crébillon", line2="Bâtiment B", postal_code="44000", city="Nantes"
    ),
    legal_form="SARL",
    siren="802314781",
    vat_number="FR32802314781",
    email="compta@boulangerie-martin.fr",
    einvoice_scheme="0225",
    einvoice_address="802314781",
)
EU_CLIENT = Party(
    name="Brasserie Exemple SRL",
    address=Address(line1="Rue Neuve 10", postal_code="1000", city="Bruxelles", country="BE"),
    legal_form="SRL",
    vat_number="BE0123456749",
    email="factures@brasserie-exemple.be",
    einvoice_scheme="EM",
    einvoice_address="factures@brasserie-exemple.be",
)

IBAN, BIC = "FR7630006000011234567890189", "AGRIFRPP882"


def _terms(version: str) -> tuple[ClauseUsed, ...]:
    return (
        ClauseUsed(kind="payment.due", article="5", title="Modalités de paiement"),
        ClauseUsed(kind="payment.late_penalty", article="6", title="Retard de paiement"),
    )


def _conditions(due: date, explanation: str, terms: str) -> tuple[Condition, ...]:
    return (
        Condition("Échéance", f"{due:%d/%m/%Y}", explanation, f"{terms} art. 5"),
        Condition(
            "Pénalités de retard", "7,86 %", "3 × taux légal 2026 S1 (2,62 %)", "C. com. L441-10"
        ),
        Condition("Indemnité de recouvrement", "40,00 €", "client professionnel", "C. com. D441-5"),
    )


def standard() -> InvoiceDocument:
    """Clever Cloud, 20 % and 10 % on two lines, to be paid by transfer within 30 days."""
    # 3 × 412,50 = 1 237,50 HT at 20 % -> 247,50 VAT; 1 × 100,00 HT at 10 % -> 10,00 VAT.
    # HT 1 337,50 + VAT 257,50 = TTC 1 595,00.
    issue, due = date(2026, 5, 29), date(2026, 6, 28)
    explanation = "30 jours après la date de facture, art. 5 CGV v1.1 : 28/06/2026"
    return InvoiceDocument(
        kind="standard",
        number="F2026-000123",
        issue_date=issue,
        service_date=issue,
        seller=PAAS,
        buyer=CLIENT,
        nature="services",
        lines=(
            Line(
                "Hébergement PaaS, instance M",
                D("3"),
                "mois",
                "MON",
                D("412.50"),
                D("20.00"),
                "S",
                D("1237.50"),
            ),
            Line(
                "Formation en ligne",
                D("1"),
                "forfait",
                "C62",
                D("100.00"),
                D("10.00"),
                "S",
                D("100.00"),
            ),
        ),
        vat_breakdown=(
            VatGroup("S", D("20.00"), D("1237.50"), D("247.50")),
            VatGroup("S", D("10.00"), D("100.00"), D("10.00")),
        ),
        total_ht=D("1337.50"),
        total_vat=D("257.50"),
        total_ttc=D("1595.00"),
        prepaid_amount=D("0.00"),
        amount_due=D("1595.00"),
        due_date=due,
        due_date_explanation=explanation,
        terms_version="CGV v1.1",
        delivery_address=Address(
            line1="ZI de la Lande", postal_code="44800", city="Saint-Herblain"
        ),
        vat_on_debits=True,
        payment_terms="Paiement à 30 jours date de facture, par virement.",
        late_penalty=PENALTY,
        late_penalty_rate=PENALTY_RATE,
        recovery_indemnity=INDEMNITY,
        early_payment_discount=NO_DISCOUNT,
        iban=IBAN,
        bic=BIC,
        payment_reference="F2026-000123",
        order_reference="C2026-000045",
        quote_reference="D2026-000042",
        clauses=_terms("CGV v1.1"),
        conditions=_conditions(due, "30 jours après la date de facture", "CGV v1.1"),
    )


def franchise() -> InvoiceDocument:
    """The agency under art. 293 B: no VAT (category E, rate 0, the mention as reason)."""
    # 2 400,00 + 875,00 + 136,00 = 3 411,00 HT = TTC, no VAT.
    # 14 jours ouvrés after Friday 29/05/2026: 1-5 June (5), 8-12 (10), 15-18 (14) -> 18/06.
    issue, due = date(2026, 5, 29), date(2026, 6, 18)
    explanation = "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 18/06/2026"
    return InvoiceDocument(
        kind="standard",
        number="F2026-000007",
        issue_date=issue,
        service_date=issue,
        seller=AGENCY,
        buyer=CLIENT,
        nature="services",
        lines=(
            Line(
                "Site vitrine 5 pages\nmaquettes, intégration, mise en ligne",
                D("1"),
                "forfait",
                "C62",
                D("2400.00"),
                D("0"),
                "E",
                D("2400.00"),
            ),
            Line(
                "Rédaction des contenus",
                D("3.5"),
                "jour",
                "DAY",
                D("250.00"),
                D("0"),
                "E",
                D("875.00"),
            ),
            Line(
                "Nom de domaine et hébergement, 1 an",
                D("1"),
                "an",
                "ANN",
                D("136.00"),
                D("0"),
                "E",
                D("136.00"),
            ),
        ),
        vat_breakdown=(
            VatGroup(
                "E",
                D("0"),
                D("3411.00"),
                D("0.00"),
                exemption_reason=FRANCHISE,
                exemption_reason_code="VATEX-FR-FRANCHISE",
            ),
        ),
        total_ht=D("3411.00"),
        total_vat=D("0.00"),
        total_ttc=D("3411.00"),
        prepaid_amount=D("0.00"),
        amount_due=D("3411.00"),
        due_date=due,
        due_date_explanation=explanation,
        terms_version="CGV v3.0",
        vat_mentions=(FRANCHISE,),
        payment_terms="Factures payables 14 jours ouvrés après la date de facture.",
        late_penalty=PENALTY,
        late_penalty_rate=PENALTY_RATE,
        recovery_indemnity=INDEMNITY,
        iban=IBAN,
        bic=BIC,
        quote_reference="D2026-000031",
        clauses=_terms("CGV v3.0"),
        conditions=_conditions(due, "14 jours ouvrés après la date de facture", "CGV v3.0"),
    )


def reverse_charge() -> InvoiceDocument:
    """Services to a Belgian business: no French VAT, the client self-assesses (AE)."""
    # 12 × 55,00 = 660,00 HT = TTC.
    issue, due = date(2026, 5, 29), date(2026, 6, 28)
    return dataclasses.replace(
        standard(),
        number="F2026-000124",
        buyer=EU_CLIENT,
        lines=(
            Line(
                "Hébergement PaaS, instance S",
                D("12"),
                "mois",
                "MON",
                D("55.00"),
                D("0"),
                "AE",
                D("660.00"),
            ),
        ),
        vat_breakdown=(
            VatGroup(
                "AE",
                D("0"),
                D("660.00"),
                D("0.00"),
                exemption_reason=REVERSE_CHARGE,
                exemption_reason_code="VATEX-EU-AE",
            ),
        ),
        total_ht=D("660.00"),
        total_vat=D("0.00"),
        total_ttc=D("660.00"),
        amount_due=D("660.00"),
        issue_date=issue,
        service_date=issue,
        due_date=due,
        delivery_address=None,
        vat_on_debits=False,
        vat_mentions=(REVERSE_CHARGE,),
        payment_reference="F2026-000124",
        order_reference="",
        quote_reference="",
    )


def deposit() -> InvoiceDocument:
    """The agency's 30 % deposit on quote D2026-000031 (3 411,00 HT): 1 023,30."""
    # 3 411,00 × 30 % = 1 023,30, no VAT under 293 B.
    doc = franchise()
    return dataclasses.replace(
        doc,
        kind="deposit",
        number="F2026-000005",
        issue_date=date(2026, 5, 4),
        # 14 jours ouvrés after Monday 04/05/2026, skipping 8 May, 14 May (Ascension) and
        # 25 May (Whit Monday): 5-7 (3), 11-13 (6), 15 (7), 18-22 (12), 26-27 (14) -> 27/05.
        due_date=date(2026, 5, 27),
        due_date_explanation="14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : "
        "27/05/2026",
        lines=(
            Line(
                "Acompte de 30 % sur le devis D2026-000031 (3 411,00 € HT)",
                D("1"),
                "forfait",
                "C62",
                D("1023.30"),
                D("0"),
                "E",
                D("1023.30"),
            ),
        ),
        vat_breakdown=(dataclasses.replace(doc.vat_breakdown[0], base_ht=D("1023.30")),),
        total_ht=D("1023.30"),
        total_ttc=D("1023.30"),
        amount_due=D("1023.30"),
        conditions=_conditions(
            date(2026, 5, 27), "14 jours ouvrés après la date de facture", "CGV v3.0"
        ),
    )


def final() -> InvoiceDocument:
    """The balance: the whole work (3 411,00) less the deposit already invoiced (1 023,30)."""
    # 3 411,00 - 1 023,30 = 2 387,70 due.
    first = deposit()
    return dataclasses.replace(
        franchise(),
        kind="final",
        number="F2026-000008",
        prepaid_amount=D("1023.30"),
        amount_due=D("2387.70"),
        deductions=(Deduction(first.number, first.issue_date, D("1023.30")),),
        order_reference="C2026-000019",
    )


def credit_note() -> InvoiceDocument:
    """A partial credit on F2026-000123: the training was not given (100,00 HT at 10 %)."""
    # 100,00 HT + 10,00 VAT = 110,00 credited.
    corrected = standard()
    return dataclasses.replace(
        corrected,
        kind="credit_note",
        number="AV2026-000007",
        issue_date=date(2026, 6, 10),
        due_date=date(2026, 6, 10),
        due_date_explanation="Remboursement à l'émission de l'avoir.",
        lines=(
            Line(
                "Formation en ligne non dispensée",
                D("1"),
                "forfait",
                "C62",
                D("100.00"),
                D("10.00"),
                "S",
                D("100.00"),
            ),
        ),
        vat_breakdown=(VatGroup("S", D("10.00"), D("100.00"), D("10.00")),),
        total_ht=D("100.00"),
        total_vat=D("10.00"),
        total_ttc=D("110.00"),
        amount_due=D("110.00"),
        payment_terms="",
        payment_reference="AV2026-000007",
        corrected_number=corrected.number,
        corrected_issue_date=corrected.issue_date,
        delivery_address=None,
        conditions=(
            Condition(
                "Avoir partiel",
                "110,00 €",
                "formation non dispensée, créditée sur la facture F2026-000123",
                "CGV v1.1 art. 5",
            ),
        ),
    )


def discounted() -> InvoiceDocument:
    """The standard invoice with 10 % off the hosting line."""
    # 3 × 412,50 = 1 237,50, less 10 % (123,75) = 1 113,75 HT at 20 % -> 222,75 VAT;
    # + 100,00 HT at 10 % -> 10,00 VAT. HT 1 213,75 + VAT 232,75 = TTC 1 446,50.
    doc = standard()
    hosting = dataclasses.replace(doc.lines[0], discount_rate=D("10.00"), total_ht=D("1113.75"))
    return dataclasses.replace(
        doc,
        lines=(hosting, doc.lines[1]),
        vat_breakdown=(VatGroup("S", D("20.00"), D("1113.75"), D("222.75")), doc.vat_breakdown[1]),
        total_ht=D("1213.75"),
        total_vat=D("232.75"),
        total_ttc=D("1446.50"),
        amount_due=D("1446.50"),
    )


def long_invoice(lines: int = 60) -> InvoiceDocument:
    """A standard invoice with many lines: more than one page."""
    # n × 10,00 HT at 20 %: HT 10n, VAT 2n, TTC 12n.
    n = D(lines)
    return dataclasses.replace(
        standard(),
        lines=tuple(
            Line(
                f"Consommation à l'usage, application n° {i}",
                D("1"),
                "forfait",
                "C62",
                D("10.00"),
                D("20.00"),
                "S",
                D("10.00"),
            )
            for i in range(1, lines + 1)
        ),
        vat_breakdown=(VatGroup("S", D("20.00"), 10 * n, 2 * n),),
        total_ht=(10 * n).quantize(D("0.01")),
        total_vat=(2 * n).quantize(D("0.01")),
        total_ttc=(12 * n).quantize(D("0.01")),
        amount_due=(12 * n).quantize(D("0.01")),
    )


EVERY_KIND = {
    "standard": standard,
    "franchise_293b": franchise,
    "reverse_charge": reverse_charge,
    "deposit": deposit,
    "final": final,
    "credit_note": credit_note,
    "discounted": discounted,
}
