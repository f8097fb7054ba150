"""The legal lint (terms/domain/): what mandatory law overrides in a terms version.

Pure: ClauseFacts built inline from the values the seeds state, no database, no seed file.
"""

import ast
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausier.rules.errors import RuleError
from clausier.rules.explain import LegalFact
from clausier.terms import domain
from clausier.terms.domain import ClauseFacts, Finding, SellerFacts, lint_terms
from clausier.terms.schemas import ClauseParametersError

ON = date(2026, 11, 23)  # after 2026 S1: the legal-rate table has no rate for this day
RATE_KNOWN = date(2026, 3, 2)  # 2026 S1, legal rate 2.62 %
NORMAL = SellerFacts(vat_regime="normal", mediator_name="")
FRANCHISE = SellerFacts(vat_regime="franchise_293b", mediator_name="")
MEDIATED = SellerFacts(vat_regime="normal", mediator_name="CM2C")

ALL_KINDS = ["company", "association", "independent", "consumer"]
CONSUMERS_ONLY = ["consumer"]
PROFESSIONALS_ONLY = ["company", "association", "independent"]


def clause(kind, parameters, *, clause_id=None, article="art. 1", excerpt=""):
    return ClauseFacts(
        clause_id=clause_id or kind,
        kind=kind,
        article=article,
        excerpt=excerpt,
        parameters=parameters,
    )


def kinds(*names):
    return clause("clients.kinds", {"kinds": list(names)}, article="art. 2")


def codes(findings):
    return [f.code for f in findings]


def lint(*clauses, seller=MEDIATED, on=ON):
    return lint_terms(clauses=list(clauses), seller=seller, on=on)


def only(findings, code):
    (found,) = [f for f in findings if f.code == code]
    return found


# --- the two seeds, inline ------------------------------------------------------------------

CLEVER_CLOUD = [
    clause("clients.kinds", {"kinds": ALL_KINDS}, article="préambule"),
    clause("vat.regime", {"regime": "normal", "mention": ""}, article="art. 3"),
    clause("payment.methods", {"methods": ["card", "paypal"], "on_failure": "cancel_order"}),
    clause(
        "withdrawal.period",
        {
            "n": 7,
            "unit": "jours_francs",
            "from": "offer_acceptance",
            "channel": "email",
            "address": "commercial@clever-cloud.com",
        },
        article="art. 6",
        excerpt="un droit de rétractation de 7 jours francs à compter de l’acceptation de l’offre",
    ),
    clause(
        "withdrawal.refund",
        {
            "n": 30,
            "unit": "jours_calendaires",
            "from": "refund_request_acceptance",
            "refused_if_service_used": True,
        },
        article="art. 7",
    ),
    clause(
        "execution.deadline",
        {"n": 7, "unit": "jours_ouvres", "from": "payment_receipt"},
        article="art. 8",
    ),
]
CLEVER_CLOUD_SELLER = SellerFacts(vat_regime="normal", mediator_name="")

NEO7 = [
    clause(
        "clients.kinds", {"kinds": ["association", "consumer", "independent"]}, article="art. 2"
    ),
    clause(
        "vat.regime",
        {"regime": "franchise_293b", "mention": "TVA non applicable, art. 293 B du CGI"},
        article="art. 4",
    ),
    clause(
        "payment.due", {"n": 14, "unit": "jours_ouvres", "from": "invoice_date"}, article="art. 5"
    ),
    clause("payment.early_discount", {"rate": "0"}, article="art. 5"),
    clause(
        "late.penalty",
        {
            "multiplier": "3",
            "of": "legal_rate",
            "rate_date": "invoice_date",
            "base": "ht_remaining",
        },
        article="art. 6",
    ),
    clause("late.indemnity", {"amount": None}, article="art. 6"),
    clause(
        "contract.renewal",
        {
            "tacit": True,
            "notice": {"n": 1, "unit": "mois", "from": "term"},
            "notice_form": "registered_letter",
            "chatel_information": False,
        },
        article="art. 7",
    ),
]
NEO7_SELLER = SellerFacts(vat_regime="franchise_293b", mediator_name="")


def test_clever_cloud_v1_1_gets_every_expected_finding():
    findings = lint_terms(clauses=CLEVER_CLOUD, seller=CLEVER_CLOUD_SELLER, on=ON)
    assert [(f.severity, f.code) for f in findings] == [
        ("error", "refund.refused_if_used"),
        ("error", "refund.too_late"),
        ("error", "withdrawal.too_short"),
        ("warning", "indemnity.missing"),
        ("warning", "late_penalty.missing"),
        ("warning", "mediator.missing"),
        ("info", "early_discount.missing"),
        ("info", "payment_term.missing"),
    ]
    assert only(findings, "withdrawal.too_short").clause_id == "withdrawal.period"
    assert only(findings, "withdrawal.too_short").article == "art. 6"
    assert only(findings, "refund.too_late").article == "art. 7"
    assert only(findings, "mediator.missing").clause_id == ""


def test_neo7_v3_0_gets_every_expected_finding():
    findings = lint_terms(clauses=NEO7, seller=NEO7_SELLER, on=ON)
    assert [(f.severity, f.code) for f in findings] == [
        ("warning", "indemnity.no_amount"),
        ("warning", "mediator.missing"),
        ("warning", "renewal.no_chatel"),
        # It serves "particuliers" (art. 2) and says nothing of their right of withdrawal.
        ("warning", "withdrawal.missing"),
    ]
    # 3 x the legal rate, 14 jours ouvrés, "pas d'escompte" and the 293 B mention are lawful.
    assert not {"late_penalty.below_floor", "payment_term.too_long", "vat.franchise_mention"} & set(
        codes(findings)
    )


def test_findings_are_sorted_by_severity_then_code():
    findings = lint_terms(clauses=CLEVER_CLOUD + NEO7[3:], seller=NEO7_SELLER, on=ON)
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(rank[f.severity], f.code, f.clause_id) for f in findings]
    assert keys == sorted(keys)
    assert [f.severity for f in findings][:: len(findings) - 1] == ["error", "info"]
    assert {f.severity for f in findings} == {"error", "warning", "info"}


# A version that breaks every rule at once, to check what every finding carries.
EVERYTHING_WRONG = [
    clause("withdrawal.period", {"n": 7, "unit": "jours_calendaires", "from": "order_sent"}),
    clause(
        "withdrawal.refund",
        {"n": 30, "unit": "jours_calendaires", "from": "x", "refused_if_service_used": True},
    ),
    clause(
        "late.penalty",
        {
            "multiplier": "1.5",
            "of": "legal_rate",
            "rate_date": "invoice_date",
            "base": "ht_remaining",
        },
        clause_id="late.penalty.legal",
    ),
    clause(
        "late.penalty",
        {"multiplier": "1", "of": "ecb_rate", "rate_date": "due_date", "base": "ht_remaining"},
        clause_id="late.penalty.ecb",
    ),
    clause("late.indemnity", {"amount": "15.00"}),
    clause("payment.due", {"n": 90, "unit": "jours_calendaires", "from": "invoice_date"}),
    clause(
        "contract.renewal",
        {"tacit": True, "notice": None, "notice_form": "any_written"},
    ),
    clause("vat.regime", {"regime": "franchise_293b", "mention": "TVA non applicable"}),
]


@pytest.mark.parametrize("on", [RATE_KNOWN, ON])
def test_every_error_and_warning_says_what_is_wrong_and_what_is_applied(on):
    findings = lint(*EVERYTHING_WRONG, seller=NORMAL, on=on)
    missing = lint(seller=NORMAL, on=on)
    assert set(codes(findings)) >= {
        "withdrawal.too_short",
        "withdrawal.start_unknown",
        "refund.too_late",
        "refund.refused_if_used",
        "late_penalty.below_floor",
        "late_penalty.ecb_unverified",
        "indemnity.too_low",
        "payment_term.too_long",
        "renewal.no_chatel",
        "vat.regime_mismatch",
        "vat.franchise_mention",
        "mediator.missing",
        "early_discount.missing",
    }
    assert set(codes(missing)) == {
        "withdrawal.missing",
        "late_penalty.missing",
        "indemnity.missing",
        "payment_term.missing",
        "mediator.missing",
        "early_discount.missing",
    }
    for finding in findings + missing:
        assert finding.severity in domain.SEVERITIES
        for name in ("code", "law", "law_text", "message", "applied"):
            assert str(getattr(finding, name)).strip(), (finding.code, name)
        assert str(finding.law_text).endswith(".")
        if finding.clause_id:
            assert finding.article


def test_finding_is_the_documented_contract():
    assert [f.name for f in fields(Finding)] == [
        "code",
        "severity",
        "clause_id",
        "article",
        "law",
        "law_text",
        "message",
        "applied",
    ]
    assert [f.name for f in fields(ClauseFacts)] == [
        "clause_id",
        "kind",
        "article",
        "excerpt",
        "parameters",
    ]
    assert [f.name for f in fields(SellerFacts)] == ["vat_regime", "mediator_name"]


# --- 1. withdrawal ----------------------------------------------------------------------------


def withdrawal(n, unit, start="contract_conclusion"):
    return clause("withdrawal.period", {"n": n, "unit": unit, "from": start}, article="art. 6")


def test_seven_jours_francs_is_an_error_explained_with_its_figures():
    finding = only(
        lint(kinds("consumer"), withdrawal(7, "jours_francs", "offer_acceptance")),
        "withdrawal.too_short",
    )
    assert finding.severity == "error"
    assert finding.law == "C. conso. L221-18"
    # 7 jours francs end on start + 8: still short of 14 days.
    assert "départ + 7 + 1 = départ + 8 jours" in str(finding.message)
    assert "8 à " in str(finding.message)
    assert "14 jours calendaires" in str(finding.message)
    assert str(finding.applied) == (
        "14 jours calendaires à compter de la conclusion du contrat, prorogé au premier jour "
        "ouvrable suivant s'il expire un samedi, dimanche ou jour férié (L221-18, CPC 642)"
    )


@pytest.mark.parametrize(
    ("n", "unit"),
    [
        (14, "jours_calendaires"),
        (15, "jours_calendaires"),
        (14, "jours_francs"),
        (14, "jours_ouvres"),
        (1, "mois"),
    ],
)
def test_a_withdrawal_period_never_shorter_than_14_days_is_lawful(n, unit):
    assert lint(kinds("consumer"), withdrawal(n, unit)) == []


@pytest.mark.parametrize(
    ("n", "unit"),
    [
        (13, "jours_calendaires"),
        (7, "jours_francs"),
        # 10 jours ouvrés are two weeks, except from a Saturday: Friday, 13 days later.
        (10, "jours_ouvres"),
        (11, "jours_ouvrables"),
    ],
)
def test_a_withdrawal_period_shorter_than_14_days_on_some_day_is_an_error(n, unit):
    assert codes(lint(kinds("consumer"), withdrawal(n, unit))) == ["withdrawal.too_short"]


def test_ten_jours_ouvres_fall_short_when_the_contract_is_concluded_on_a_saturday():
    finding = only(lint(kinds("consumer"), withdrawal(10, "jours_ouvres")), "withdrawal.too_short")
    assert "samedi" in str(finding.message).split("conclu le ", 1)[1]


def test_withdrawal_from_an_unknown_event_is_a_warning():
    findings = lint(kinds("consumer"), withdrawal(14, "jours_calendaires", "order_sent"))
    assert [(f.severity, f.code) for f in findings] == [("warning", "withdrawal.start_unknown")]
    assert "« order_sent »" in str(findings[0].message)


def test_a_missing_withdrawal_clause_is_a_warning_when_consumers_are_addressed():
    finding = only(lint(kinds("consumer")), "withdrawal.missing")
    assert finding.severity == "warning"
    assert finding.law == "C. conso. L221-5"
    assert finding.clause_id == finding.article == ""
    assert "12 mois" in str(finding.message)  # L221-20
    assert str(finding.applied).startswith(
        "14 jours calendaires à compter de la conclusion du contrat"
    )


def test_withdrawal_is_not_checked_for_professionals_only():
    assert lint(kinds(*PROFESSIONALS_ONLY), withdrawal(7, "jours_francs")) == lint(
        kinds(*PROFESSIONALS_ONLY)
    )
    assert "withdrawal.missing" not in codes(lint(kinds(*PROFESSIONALS_ONLY)))


def test_without_a_clients_clause_both_consumers_and_professionals_are_assumed():
    assert set(codes(lint())) >= {"withdrawal.missing", "late_penalty.missing"}


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2014, 6, 13), []), (date(2014, 6, 14), ["withdrawal.too_short"])],
)
def test_seven_jours_francs_were_lawful_until_the_hamon_law(on, expected):
    findings = lint(kinds("consumer"), withdrawal(7, "jours_francs", "offer_acceptance"), on=on)
    assert codes(findings) == expected


def test_before_hamon_a_period_shorter_than_7_jours_francs_cites_the_former_law():
    finding = only(
        lint(kinds("consumer"), withdrawal(6, "jours_francs"), on=date(2014, 6, 13)),
        "withdrawal.too_short",
    )
    assert finding.law == "C. conso. ancien L121-20"
    assert "7 jours francs" in str(finding.applied)


def test_the_hamon_date_is_a_legal_fact_with_its_source():
    hamon = domain.HAMON_IN_FORCE
    assert hamon.value == date(2014, 6, 14)
    assert hamon.source == "Loi n° 2014-344 du 17 mars 2014 (Hamon)"


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=0, max_value=40))
def test_a_calendar_day_withdrawal_period_is_unlawful_exactly_below_14_days(n):
    findings = lint(kinds("consumer"), withdrawal(n, "jours_calendaires"), on=RATE_KNOWN)
    assert ("withdrawal.too_short" in codes(findings)) == (n < 14)


# --- 2. refund ----------------------------------------------------------------------------------


def refund(n, start="withdrawal_notice", *, refused=False):
    return clause(
        "withdrawal.refund",
        {"n": n, "unit": "jours_calendaires", "from": start, "refused_if_service_used": refused},
        article="art. 7",
    )


def test_a_refund_within_14_days_of_the_withdrawal_is_lawful():
    assert lint(kinds("consumer"), withdrawal(14, "jours_calendaires"), refund(14)) == []


def test_a_refund_after_30_days_is_an_error():
    finding = only(lint(kinds("consumer"), refund(30)), "refund.too_late")
    assert finding.severity == "error"
    assert finding.law == "C. conso. L221-24"
    assert "30 jours calendaires" in str(finding.message)
    assert "14 jours" in str(finding.message)
    assert str(finding.applied) == (
        "14 jours à compter de la date à laquelle le professionnel est informé de la décision "
        "de rétractation"
    )


def test_a_refund_counted_from_the_sellers_acceptance_of_the_request_is_an_error():
    finding = only(
        lint(kinds("consumer"), refund(14, "refund_request_acceptance")), "refund.too_late"
    )
    assert "l'acceptation de la demande de remboursement" in str(finding.message)


def test_refusing_any_refund_once_the_service_was_used_is_an_error():
    finding = only(lint(kinds("consumer"), refund(14, refused=True)), "refund.refused_if_used")
    assert finding.severity == "error"
    assert finding.law == "C. conso. L221-25, L221-28 1°"
    assert "proportionné" in str(finding.applied)
    assert "pleinement exécuté" in str(finding.applied)


def test_before_hamon_a_30_day_refund_and_the_used_service_exclusion_were_lawful():
    old = date(2014, 6, 13)
    lawful_then = [withdrawal(7, "jours_francs"), refund(30, "withdrawal_exercise", refused=True)]
    assert lint(kinds("consumer"), *lawful_then, on=old) == []
    finding = only(lint(kinds("consumer"), refund(31), on=old), "refund.too_late")
    assert finding.law == "C. conso. ancien L121-20-1"


# --- 3. B2B late penalty ------------------------------------------------------------------------


def penalty(multiplier, of="legal_rate", **extra):
    return clause(
        "late.penalty",
        {
            "multiplier": multiplier,
            "of": of,
            "rate_date": "invoice_date",
            "base": "ht_remaining",
            **extra,
        },
        article="art. 6",
    )


def test_three_times_the_legal_rate_is_lawful():
    assert "late_penalty.below_floor" not in codes(lint(kinds("company"), penalty("3")))
    assert "late_penalty.below_floor" not in codes(lint(kinds("company"), penalty("4.5")))


def test_a_penalty_below_three_times_the_legal_rate_shows_the_rates_of_the_day():
    finding = only(
        lint(kinds("company"), penalty("1.5"), on=RATE_KNOWN), "late_penalty.below_floor"
    )
    assert finding.severity == "error"
    assert finding.law == "C. com. L441-10 II"
    assert "1,5 × 2,62\u202f% = 3,93\u202f%" in str(finding.message)
    assert "3 × 2,62\u202f% = 7,86\u202f%" in str(finding.message)
    assert str(finding.applied).endswith("soit 3 × 2,62\u202f% = 7,86\u202f%")


def test_without_the_legal_rate_of_the_day_the_floor_is_checked_on_the_multiplier():
    finding = only(lint(kinds("company"), penalty("2"), on=ON), "late_penalty.below_floor")
    assert "2 < 3 fois le taux légal" in str(finding.message)
    assert "2026 S2" in str(finding.message)  # the missing semester is named, not guessed


def test_points_added_to_the_legal_rate_count_towards_the_floor():
    # 2 x 2.62 % + 5 points = 10.24 % >= 7.86 %
    assert lint(kinds("company"), penalty("2", plus_points="5"), on=RATE_KNOWN) == lint(
        kinds("company"), penalty("3"), on=RATE_KNOWN
    )


def test_an_ecb_based_penalty_cannot_be_checked_without_the_ecb_rate():
    finding = only(
        lint(kinds("company"), penalty("1", "ecb_rate", plus_points="10")),
        "late_penalty.ecb_unverified",
    )
    assert finding.severity == "info"
    assert "BCE" in str(finding.message)


def test_a_missing_penalty_clause_is_a_warning_for_professionals():
    finding = only(lint(kinds("association")), "late_penalty.missing")
    assert finding.severity == "warning"
    assert "taux de refinancement de la BCE majoré de 10 points" in str(finding.applied)
    assert "saisir" in str(finding.applied)  # the ECB rate is never invented


def test_penalty_rules_do_not_apply_to_consumer_only_terms():
    findings = lint(kinds("consumer"), penalty("1"))
    assert not [c for c in codes(findings) if c.startswith("late_penalty")]


# --- 4. recovery indemnity ----------------------------------------------------------------------


def indemnity(amount):
    return clause("late.indemnity", {"amount": amount}, article="art. 6")


def test_a_missing_indemnity_is_a_warning_for_professionals():
    finding = only(lint(kinds("independent")), "indemnity.missing")
    assert finding.severity == "warning"
    assert finding.law == "C. com. L441-10 II, D441-5"
    assert str(finding.applied) == (
        "40,00\u00a0€ par facture payée en retard, clients professionnels seulement, "
        "non soumis à la TVA"
    )


def test_an_indemnity_mentioned_without_its_amount_is_a_warning():
    finding = only(lint(kinds("company"), indemnity(None)), "indemnity.no_amount")
    assert (finding.severity, finding.clause_id, finding.article) == (
        "warning",
        "late.indemnity",
        "art. 6",
    )
    assert "40,00\u00a0€" in str(finding.message)


def test_an_indemnity_below_40_euros_is_an_error():
    finding = only(lint(kinds("company"), indemnity("15.00")), "indemnity.too_low")
    assert finding.severity == "error"
    assert "15,00\u00a0€" in str(finding.message)
    assert "40,00\u00a0€" in str(finding.message)


@pytest.mark.parametrize("amount", ["40.00", "100.00"])
def test_an_indemnity_of_at_least_40_euros_is_lawful(amount):
    assert not [c for c in codes(lint(kinds("company"), indemnity(amount))) if "indemnity" in c]


def test_the_indemnity_is_not_required_from_consumer_only_terms():
    assert not [c for c in codes(lint(kinds("consumer"))) if "indemnity" in c]


# --- 5. payment term ---------------------------------------------------------------------------


def due(n, unit, start="invoice_date"):
    return clause("payment.due", {"n": n, "unit": unit, "from": start}, article="art. 5")


@pytest.mark.parametrize(
    ("n", "unit"),
    [
        (14, "jours_ouvres"),
        (30, "jours_calendaires"),
        (60, "jours_calendaires"),
        (35, "jours_ouvres"),
    ],
)
def test_a_payment_term_within_60_days_is_lawful(n, unit):
    assert "payment_term.too_long" not in codes(lint(kinds("company"), due(n, unit)))


@pytest.mark.parametrize(
    ("n", "unit"),
    [(61, "jours_calendaires"), (2, "mois"), (45, "jours_ouvres"), (60, "jours_francs")],
)
def test_a_payment_term_beyond_60_days_is_an_error(n, unit):
    finding = only(lint(kinds("company"), due(n, unit)), "payment_term.too_long")
    assert finding.severity == "error"
    assert finding.law == "C. com. L441-10 I"
    assert "60 jours" in str(finding.message)
    assert "45 jours fin de mois" in str(finding.message)
    assert (
        str(finding.applied) == "60 jours à compter de la date d'émission de la facture (L441-10 I)"
    )


def test_a_missing_payment_term_is_an_info_with_the_legal_default():
    finding = only(lint(kinds("company")), "payment_term.missing")
    assert finding.severity == "info"
    assert str(finding.applied) == (
        "à défaut, 30 jours après réception des marchandises ou exécution de la prestation "
        "(L441-10 I al. 1)"
    )


def test_the_payment_term_cap_does_not_apply_to_consumer_only_terms():
    findings = lint(kinds("consumer"), due(90, "jours_calendaires"))
    assert not [c for c in codes(findings) if c.startswith("payment_term")]


# --- 6. tacit renewal (Chatel) -----------------------------------------------------------------


def renewal(*, tacit=True, chatel=False):
    return clause(
        "contract.renewal",
        {
            "tacit": tacit,
            "notice": {"n": 1, "unit": "mois", "from": "term"},
            "notice_form": "registered_letter",
            "chatel_information": chatel,
        },
        article="art. 7",
    )


def test_tacit_renewal_to_consumers_without_the_chatel_notice_is_a_warning():
    finding = only(lint(kinds("consumer"), renewal()), "renewal.no_chatel")
    assert finding.severity == "warning"
    assert finding.law == "C. conso. L215-1"
    assert str(finding.applied) == (
        "clausier informe le consommateur par écrit entre 3 mois et 1 mois avant le terme ; "
        "à défaut, il peut résilier à tout moment (L215-1)"
    )


@pytest.mark.parametrize(
    ("kinds_", "contract"),
    [
        (["consumer"], renewal(chatel=True)),
        (["consumer"], renewal(tacit=False)),
        (PROFESSIONALS_ONLY, renewal()),
    ],
)
def test_renewal_with_the_notice_or_without_tacit_renewal_or_between_professionals_is_lawful(
    kinds_, contract
):
    assert "renewal.no_chatel" not in codes(lint(kinds(*kinds_), contract))


# --- 7. mediator --------------------------------------------------------------------------------


def test_consumer_terms_without_a_mediator_get_a_warning():
    finding = only(lint(kinds("consumer"), seller=NORMAL), "mediator.missing")
    assert finding.severity == "warning"
    assert finding.law.startswith("C. conso. L612-1")


@pytest.mark.parametrize(
    ("clauses", "seller", "on"),
    [
        ([kinds("consumer")], MEDIATED, ON),
        ([kinds("consumer"), clause("consumer.mediator", {"name": "CM2C"})], NORMAL, ON),
        ([kinds(*PROFESSIONALS_ONLY)], NORMAL, ON),
        # The duty to offer consumer mediation began on 1 January 2016.
        ([kinds("consumer")], NORMAL, date(2015, 12, 31)),
    ],
)
def test_no_mediator_finding_when_one_is_named_or_not_required(clauses, seller, on):
    assert "mediator.missing" not in codes(lint(*clauses, seller=seller, on=on))


# --- 8. VAT franchise ---------------------------------------------------------------------------


def vat(regime, mention=""):
    return clause("vat.regime", {"regime": regime, "mention": mention}, article="art. 4")


def test_the_exact_293_b_mention_is_lawful():
    findings = lint(
        vat("franchise_293b", "TVA non applicable, art. 293 B du CGI"), seller=FRANCHISE
    )
    assert not [c for c in codes(findings) if c.startswith("vat")]


def test_a_franchise_seller_without_the_exact_mention_gets_a_warning():
    findings = lint(
        vat("franchise_293b", "ne sont pas soumis à la TVA (article 293b du CGI)"), seller=FRANCHISE
    )
    finding = only(findings, "vat.franchise_mention")
    assert (finding.severity, finding.clause_id) == ("warning", "vat.regime")
    assert finding.law == "CGI art. 293 B"
    assert str(finding.applied) == (
        "clausier imprime la mention « TVA non applicable, art. 293 B du CGI » sur chaque facture"
    )


def test_a_franchise_seller_without_a_vat_clause_gets_a_warning():
    finding = only(lint(seller=FRANCHISE), "vat.franchise_mention")
    assert finding.clause_id == ""


def test_a_vat_clause_contradicting_the_seller_record_is_a_warning():
    findings = lint(vat("franchise_293b", "TVA non applicable, art. 293 B du CGI"), seller=NORMAL)
    assert only(findings, "vat.regime_mismatch").severity == "warning"
    assert "vat.franchise_mention" not in codes(findings)


def test_the_normal_regime_needs_no_mention():
    assert not [c for c in codes(lint(vat("normal"), seller=NORMAL)) if c.startswith("vat")]


# --- 9. early-payment discount -----------------------------------------------------------------


def test_a_missing_early_payment_discount_clause_is_an_info_for_professionals():
    finding = only(lint(kinds("company")), "early_discount.missing")
    assert finding.severity == "info"
    assert "pas d'escompte pour paiement anticipé" in str(finding.applied)


def test_a_stated_discount_or_consumer_only_terms_need_nothing():
    stated = clause("payment.early_discount", {"rate": "0"})
    assert "early_discount.missing" not in codes(lint(kinds("company"), stated))
    assert "early_discount.missing" not in codes(lint(kinds("consumer")))


# --- rules in force ------------------------------------------------------------------------------


def test_rules_apply_only_once_in_force():
    before_2013 = lint(kinds("company"), indemnity("15.00"), on=date(2012, 12, 31))
    assert not [c for c in codes(before_2013) if "indemnity" in c]
    before_lme = lint(
        kinds("company"), penalty("1.5"), due(90, "jours_calendaires"), on=date(2008, 12, 31)
    )
    assert not {"late_penalty.below_floor", "payment_term.too_long"} & set(codes(before_lme))


def test_every_legal_fact_has_a_source():
    facts = {name: value for name, value in vars(domain).items() if isinstance(value, LegalFact)}
    assert len(facts) >= 15
    assert all(fact.source.strip() for fact in facts.values())
    assert domain.WITHDRAWAL_PERIOD.value == domain.LegalPeriod(14, "jours_calendaires")
    assert domain.PAYMENT_TERM_CAP.value == domain.LegalPeriod(60, "jours_calendaires")


def test_the_lint_date_must_be_a_date():
    with pytest.raises(RuleError, match=r"^on:"):
        lint(on=datetime(2026, 11, 23, 12, 0))


def test_invalid_parameters_raise_rather_than_pass_silently():
    with pytest.raises(ClauseParametersError, match=r"parameters\.n"):
        lint(clause("withdrawal.period", {"n": -1, "unit": "jours_calendaires", "from": "x"}))


def test_the_lint_is_pure():
    imported = []
    modules = sorted(Path(domain.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    for node in (n for m in modules for n in ast.walk(ast.parse(m.read_text(encoding="utf-8")))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    assert not [m for m in imported if m.startswith("django") or m.endswith(".models")]


# --- collective proceedings (C. com. L622-13, L641-11-1) -------------------------------------

INSOLVENCY = clause(
    "contract.termination_insolvency",
    {
        "immediate": True,
        "formal_notice_unanswered": {"n": 1, "unit": "mois", "from": "formal_notice_sent"},
    },
    article="art. 7",
)


def test_an_insolvency_termination_clause_gets_the_mandatory_law_warning():
    finding = only(lint(kinds("company"), INSOLVENCY), "insolvency.mandatory_law")
    assert finding.severity == "warning"
    assert finding.clause_id == "contract.termination_insolvency"
    assert finding.article == "art. 7"
    assert "L622-13" in finding.law
    assert "L641-11-1" in finding.law
    assert "réputée non écrite" in str(finding.law_text)
    assert "1 mois" in str(finding.law_text)
    assert "mise en demeure" in str(finding.applied)


def test_terms_without_an_insolvency_clause_get_no_such_warning():
    assert "insolvency.mandatory_law" not in codes(lint(kinds("company")))
    assert "insolvency.mandatory_law" not in codes(
        lint_terms(clauses=NEO7, seller=NEO7_SELLER, on=ON)
    )


def test_the_insolvency_sources_are_legal_facts():
    from clausier.terms.domain.facts import INSOLVENCY_CLAUSE_VOID, INSOLVENCY_LIQUIDATION

    assert INSOLVENCY_CLAUSE_VOID.source == "C. com. L622-13 I"
    assert INSOLVENCY_LIQUIDATION.source == "C. com. L641-11-1"


@pytest.mark.django_db
def test_the_seed_version_of_the_agency_gets_the_insolvency_warning(agency):
    from clausier.terms.selectors import current_version, lint_version

    findings = lint_version(version=current_version(seller=agency), on=ON)
    assert only(findings, "insolvency.mandatory_law").article == "art. 7"
