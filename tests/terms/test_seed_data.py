"""The seed sellers' terms as data: they load, every clause validates and quotes the text it
encodes, every row of the clause map (SPEC section 4) has its clause, and the key parameters
are the values the terms state. Pure: no database."""

import json
import re
import shutil
from datetime import date
from importlib import resources

import pytest

from clausier.rules import identifiers
from clausier.terms.schemas import validate_parameters
from clausier.terms.seeds import SEED_SLUGS, load_seed

SEEDS = {slug: load_seed(slug) for slug in SEED_SLUGS}
VERSION = {"clever-cloud": "v1.1", "neo7-studio-web": "v3.0"}


def version(slug):
    (only,) = SEEDS[slug].versions
    return only


def clauses(slug):
    return {c["clause_id"]: c for c in version(slug).clauses}


ALL_CLAUSES = [(slug, c) for slug in SEED_SLUGS for c in version(slug).clauses]
CLAUSE_IDS = [f"{slug}:{c['clause_id']}" for slug, c in ALL_CLAUSES]

_MARKUP_AT_LINE_START = re.compile(r"^\s*(?:#+|[*\-–])\s+")


def plain(text: str) -> str:
    """Text without Markdown markup (headings, list markers, emphasis), whitespace collapsed."""
    lines = (_MARKUP_AT_LINE_START.sub("", line) for line in text.splitlines())
    return " ".join(" ".join(lines).replace("*", "").split())


# --- loading ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "label", "effective"),
    [("clever-cloud", "v1.1", date(2012, 7, 16)), ("neo7-studio-web", "v3.0", date(2016, 11, 14))],
)
def test_each_seed_loads_with_its_terms_version(slug, label, effective):
    seed = load_seed(slug)
    assert seed.slug == slug
    (terms,) = seed.versions
    assert (terms.label, terms.effective_date) == (label, effective)
    assert terms.title == "Conditions générales de vente"
    assert terms.clauses


def test_an_unknown_slug_is_refused():
    with pytest.raises(ValueError, match="unknown seed 'acme'"):
        load_seed("acme")


@pytest.mark.parametrize(("slug", "clause"), ALL_CLAUSES, ids=CLAUSE_IDS)
def test_every_clause_validates_against_its_schema(slug, clause):
    validate_parameters(clause["kind"], clause["parameters"])
    assert len(clause["article"]) <= 30
    assert len(clause["title"]) <= 200
    assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", clause["clause_id"])


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_clause_ids_are_unique_per_version(slug):
    ids = [c["clause_id"] for c in version(slug).clauses]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("slug", "clause"), ALL_CLAUSES, ids=CLAUSE_IDS)
def test_every_excerpt_is_quoted_from_the_text_in_order(slug, clause):
    text = plain(version(slug).text)
    start = 0
    for fragment in clause["excerpt"].split("[…]"):
        found = text.find(plain(fragment), start)
        assert found >= 0, fragment
        start = found + len(plain(fragment))


# --- the text -----------------------------------------------------------------------------------

KEY_SENTENCES = {
    "clever-cloud": [
        "# Conditions Générales de Vente",
        "*Version 1.1 en date du 16 juillet 2012*",
        "immatriculée sous le numéro 524 172 699 RCS Nantes",
        "d’un droit de rétractation de 7 jours francs à compter de l’acceptation de l’offre",
        "Ce remboursement s’effectue dans un délai de 30 jours à compter de l’acceptation",
        "au plus tard dans les 7 jours ouvrés suivant la réception de ce paiement",
        "conforme aux normes APSAD R82 et R81",
        "* GTI: 2 heures durant les heures ouvrées, 3 heures en dehors.",
        "* Accord de Niveau de Service Critique: 75% de la moyenne de consommation",
        "#### 10.1.5 Plan de Reprise d’Activité",
        "## Article 11 : Acceptation des CGV",
    ],
    "neo7-studio-web": [
        "*v3.0 en vigueur au 14/11/2016*",
        "## Article 1 : Dispositions générales",
        "Les factures sont payables 14 jours ouvrés après la date de facture.",
        "- La durée de validité du devis",
        "un acompte de 30% du montant global hors taxes de la prestation",
        "trois (3) fois le taux d’intérêt légal (en vigueur au jour de la facturation",
        "au moins un mois avant l’échéance de cette prestation",
        "est facturée forfaitairement 79€.",
        "### Article 12c –\u00a0Cas des branches non supportées par l’éditeur",
        "sera de la compétence des tribunaux de Nantes (44).",
    ],
}


@pytest.mark.parametrize(
    ("slug", "sentence"),
    [(slug, s) for slug, sentences in KEY_SENTENCES.items() for s in sentences],
)
def test_the_text_holds_the_key_sentences_word_for_word(slug, sentence):
    assert sentence in version(slug).text


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_the_text_is_clean_markdown(slug):
    text = version(slug).text
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\r" not in text
    assert [line for line in text.splitlines() if line != line.rstrip()] == []


def test_the_paas_text_drops_the_front_matter_and_keeps_both_articles_10():
    text = version("clever-cloud").text
    assert text.startswith("# Conditions Générales de Vente\n*Version 1.1 en date du 16 juillet")
    assert "title:" not in text
    assert text.count("## Article 10 : ") == 2


def test_the_agency_text_has_a_heading_per_article():
    headings = re.findall(r"^##+ Article (\w+)", version("neo7-studio-web").text, re.M)
    assert headings == [*map(str, range(1, 12)), "12", "12a", "12b", "12c", "13"]


# --- clause map (SPEC section 4): each row has its clause ---------------------------------------

CLAUSE_MAP = {
    "clever-cloud": {
        "art. 3 prices HT/TTC, revisable, consumption billing": {"pricing"},
        "art. 4 order recap, confirmation, auto validation, invoice": {"order.flow"},
        "art. 5 card or PayPal, failure cancels": {"payment.methods"},
        "art. 6 consumer withdrawal": {"withdrawal.period", "clients.kinds"},
        "art. 7 refund": {"withdrawal.refund"},
        "art. 8 execution deadline": {"execution.deadline"},
        "art. 9 APSAD datacenters": {"guarantees.datacenter"},
        "art. 10 maintenance, phone support, exclusions": {
            "maintenance.scope",
            "sla.business_hours",
        },
        "art. 10.1 GTI/GTR, business hours": {
            "sla.business_hours",
            "sla.standard",
            "sla.critical",
        },
        "art. 10.1.4 penalties": {"sla.standard", "sla.critical"},
        "art. 10.2 email to tickets, 10.3 on-call": {"support.contacts"},
        "art. 11 acceptance": {"terms.acceptance"},
    },
    "neo7-studio-web": {
        "art. 1 CGV govern all orders; client kinds": {
            "terms.scope",
            "terms.acceptance",
            "clients.kinds",
        },
        "art. 3 quotes": {"quote.rules"},
        "art. 4 prices, VAT franchise": {"pricing", "vat.regime"},
        "art. 5 payment": {
            "payment.acceptance",
            "payment.due",
            "payment.methods",
            "payment.early_discount",
            "payment.deposit",
        },
        "art. 6 late payment": {"late.consequences", "late.penalty", "late.indemnity"},
        "art. 7 recurring services, termination": {
            "contract.renewal",
            "contract.termination_breach",
            "contract.termination_insolvency",
            "contract.end",
        },
        "art. 8 force majeure": {"force_majeure"},
        "art. 9 confidentiality": {"confidentiality"},
        "art. 10 liability cap": {"liability.cap"},
        "art. 11 hosting and domains": {
            "hosting.third_party",
            "hosting.restore_fee",
            "domains.registration",
        },
        "art. 12 MCO": {
            "maintenance.definitions",
            "maintenance.versions",
            "maintenance.price_revision",
        },
        "art. 12c unsupported branches": {"maintenance.versions"},
        "art. 13 French law, Nantes courts": {"law.jurisdiction"},
    },
}


@pytest.mark.parametrize(
    ("slug", "row", "expected"),
    [(slug, row, ids) for slug, rows in CLAUSE_MAP.items() for row, ids in rows.items()],
)
def test_each_row_of_the_clause_map_has_its_clauses(slug, row, expected):
    assert expected <= set(clauses(slug))


def test_the_unsupported_branch_rule_is_encoded():
    versions = clauses("neo7-studio-web")["maintenance.versions"]
    assert versions["parameters"]["unsupported_branch"] == "security_fixes_only"
    assert "branche technique sur laquelle son site se trouve" in versions["excerpt"]


@pytest.mark.parametrize(
    ("slug", "absent"),
    [
        ("clever-cloud", "late.penalty"),
        ("clever-cloud", "late.indemnity"),
        ("clever-cloud", "payment.due"),
        ("clever-cloud", "consumer.mediator"),
        ("clever-cloud", "law.jurisdiction"),
        ("neo7-studio-web", "consumer.mediator"),
        ("neo7-studio-web", "withdrawal.period"),
    ],
)
def test_what_the_terms_do_not_say_has_no_clause(slug, absent):
    """The legal lint reports these gaps: a clause invented here would hide them."""
    assert absent not in clauses(slug)
    assert all(c["kind"] != absent for c in version(slug).clauses)


# --- key parameters: the values the terms state --------------------------------------------------

WEEKDAYS = {str(d): [["09:00", "18:00"]] for d in range(5)}

KEY_PARAMETERS = [
    (
        "clever-cloud",
        "clients.kinds",
        "clients.kinds",
        {"kinds": ["company", "association", "independent", "consumer"]},
    ),
    (
        "clever-cloud",
        "pricing",
        "pricing",
        {"shown": ["HT", "TTC"], "revisable": True, "billing": "consumption", "units": ["metered"]},
    ),
    (
        "clever-cloud",
        "order.flow",
        "order.flow",
        {
            "recap": True,
            "client_can_edit": True,
            "auto_validate": True,
            "invoice_after_payment": True,
            "invoice_channels": ["client_space", "email"],
        },
    ),
    (
        "clever-cloud",
        "payment.methods",
        "payment.methods",
        {"methods": ["card", "paypal"], "on_failure": "cancel_order"},
    ),
    (
        "clever-cloud",
        "withdrawal.period",
        "withdrawal.period",
        {
            "n": 7,
            "unit": "jours_francs",
            "from": "offer_acceptance",
            "channel": "email",
            "address": "commercial@clever-cloud.com",
        },
    ),
    (
        "clever-cloud",
        "withdrawal.refund",
        "withdrawal.refund",
        {
            "n": 30,
            "unit": "jours_calendaires",
            "from": "refund_request_acceptance",
            "refused_if_service_used": True,
        },
    ),
    (
        "clever-cloud",
        "execution.deadline",
        "execution.deadline",
        {"n": 7, "unit": "jours_ouvres", "from": "payment_receipt"},
    ),
    ("clever-cloud", "guarantees.datacenter", "guarantees", {"items": ["APSAD R82", "APSAD R81"]}),
    (
        "clever-cloud",
        "sla.business_hours",
        "sla.business_hours",
        {"schedule": WEEKDAYS, "tz": "Europe/Paris"},
    ),
    (
        "clever-cloud",
        "sla.standard",
        "sla.level",
        {"gti_business": "PT2H", "gti_outside": "PT3H", "gtr": "PT4H", "penalty_rate": "0.5"},
    ),
    (
        "clever-cloud",
        "sla.critical",
        "sla.level",
        {"gti_business": "PT30M", "gti_outside": None, "gtr": "PT1H", "penalty_rate": "0.75"},
    ),
    (
        "clever-cloud",
        "support.contacts",
        "support.contacts",
        {
            "phone": "+33 805 696 312",
            "email": "support@clever-cloud.com",
            "email_to_ticket": True,
            "outside_hours": "on_call",
        },
    ),
    (
        "neo7-studio-web",
        "clients.kinds",
        "clients.kinds",
        {"kinds": ["association", "consumer", "independent"]},
    ),
    (
        "neo7-studio-web",
        "payment.due",
        "payment.due",
        {"n": 14, "unit": "jours_ouvres", "from": "invoice_date"},
    ),
    (
        "neo7-studio-web",
        "payment.methods",
        "payment.methods",
        {"methods": ["cheque", "transfer"]},
    ),
    (
        "neo7-studio-web",
        "payment.deposit",
        "payment.deposit",
        {
            "rate": "0.30",
            "base": "quote_total_ht",
            "required_when": "quote_says",
            "work_starts_after": "deposit_cashed",
            "balance": "end_of_service",
        },
    ),
    ("neo7-studio-web", "payment.early_discount", "payment.early_discount", {"rate": "0"}),
    (
        "neo7-studio-web",
        "payment.acceptance",
        "payment.acceptance",
        {"full_payment_is_acceptance": True},
    ),
    (
        "neo7-studio-web",
        "late.penalty",
        "late.penalty",
        {
            "multiplier": "3",
            "of": "legal_rate",
            "rate_date": "invoice_date",
            "base": "ht_remaining",
            "start": "day_after_due",
            "prorata_temporis": True,
        },
    ),
    ("neo7-studio-web", "late.indemnity", "late.indemnity", {"amount": None}),
    (
        "neo7-studio-web",
        "late.consequences",
        "late.consequences",
        {"all_sums_due": True, "suspend_work": True, "refuse_new_orders": True},
    ),
    (
        "neo7-studio-web",
        "vat.regime",
        "vat.regime",
        {"regime": "franchise_293b", "mention": "TVA non applicable, art. 293 B du CGI"},
    ),
    (
        "neo7-studio-web",
        "pricing",
        "pricing",
        {
            "shown": ["HT"],
            "revisable": False,
            "billing": "quote",
            "units": ["flat", "hour", "day"],
            "fees_mentioned": True,
        },
    ),
    (
        "neo7-studio-web",
        "contract.renewal",
        "contract.renewal",
        {
            "tacit": True,
            "notice": {"n": 1, "unit": "mois", "from": "term"},
            "notice_form": "registered_letter",
            "chatel_information": False,
        },
    ),
    (
        "neo7-studio-web",
        "contract.termination_breach",
        "contract.termination_breach",
        {
            "cure": {"n": 10, "unit": "jours_ouvres", "from": "registered_letter_sent"},
            "notice_form": "registered_letter",
            "immediate_if_cannot_cure": True,
        },
    ),
    (
        "neo7-studio-web",
        "force_majeure",
        "force_majeure",
        {
            "notify": {"n": 5, "unit": "jours_ouvres", "from": "event"},
            "termination_after": {"n": 15, "unit": "jours_ouvres", "from": "notification_receipt"},
            "notice_form": "registered_letter",
        },
    ),
    (
        "neo7-studio-web",
        "liability.cap",
        "liability.cap",
        {"ratio": "0.5", "base": "ht_paid_for_service", "at": "claim_date"},
    ),
    (
        "neo7-studio-web",
        "hosting.restore_fee",
        "fee.flat",
        {"amount": "79.00", "label": "Restauration du site à partir d’une sauvegarde"},
    ),
    (
        "neo7-studio-web",
        "domains.registration",
        "domains.registration",
        {"registrant": "seller", "term": "P1Y", "sums_due_after_termination": True},
    ),
    (
        "neo7-studio-web",
        "maintenance.price_revision",
        "maintenance.price_revision",
        {
            "at": "term",
            "voids_tacit_renewal": True,
            "refusal_ends_contract": True,
            "refund": "prorata_temporis",
        },
    ),
    (
        "neo7-studio-web",
        "law.jurisdiction",
        "law.jurisdiction",
        {"law": "FR", "court": "Tribunaux de Nantes (44)"},
    ),
]


@pytest.mark.parametrize(
    ("slug", "clause_id", "kind", "parameters"),
    KEY_PARAMETERS,
    ids=[f"{slug}:{cid}" for slug, cid, *_ in KEY_PARAMETERS],
)
def test_key_clauses_carry_the_values_of_the_terms(slug, clause_id, kind, parameters):
    clause = clauses(slug)[clause_id]
    assert clause["kind"] == kind
    assert validate_parameters(kind, clause["parameters"]) == validate_parameters(kind, parameters)


def test_a_quote_must_state_its_own_validity():
    quote = clauses("neo7-studio-web")["quote.rules"]
    assert quote["parameters"]["validity_days"] is None
    assert quote["parameters"]["acceptance_methods"] == ["postal_signed", "email_consent"]
    assert quote["parameters"]["copies"] == 2
    assert quote["note"]


def test_open_values_are_explained_in_a_note():
    for slug, clause_id in [
        ("neo7-studio-web", "late.indemnity"),
        ("neo7-studio-web", "quote.rules"),
        ("clever-cloud", "sla.critical"),
    ]:
        assert clauses(slug)[clause_id].get("note"), (slug, clause_id)


def test_the_maintenance_exclusions_are_the_nine_cases_of_the_text():
    scope = clauses("clever-cloud")["maintenance.scope"]["parameters"]
    assert len(scope["exclusions"]) == 9
    text = plain(version("clever-cloud").text)
    assert all(plain(case) in text for case in scope["exclusions"])
    assert scope["excluded_handling"] == "billable_at_current_rate"


# --- sellers -----------------------------------------------------------------------------------

SELLER_KEYS = {
    "legal_name",
    "trade_name",
    "legal_form",
    "share_capital",
    "siren",
    "siret",
    "rcs_city",
    "vat_number",
    "vat_regime",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "phone",
    "support_phone",
    "email_sales",
    "email_support",
    "email_accounting",
    "iban",
    "bic",
    "jurisdiction",
    "mediator_name",
    "mediator_url",
    "brand_color",
    "invoice_prefix",
    "credit_note_prefix",
    "quote_prefix",
}


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_the_seller_file_has_every_field_and_explains_its_placeholders(slug):
    seller = SEEDS[slug].seller
    assert set(seller) == SELLER_KEYS | {"source", "notes"}
    assert seller["source"].startswith("seeds/00")
    assert seller["notes"]
    assert re.fullmatch(r"#[0-9a-f]{6}", seller["brand_color"])
    assert (seller["invoice_prefix"], seller["credit_note_prefix"], seller["quote_prefix"]) == (
        "F",
        "AV",
        "D",
    )
    assert (seller["iban"], seller["bic"], seller["mediator_name"]) == ("", "", "")


def test_the_paas_identity_is_the_one_its_terms_state():
    seller = SEEDS["clever-cloud"].seller
    assert identifiers.check_siren(seller["siren"]) == "524172699"
    assert identifiers.check_vat_number(seller["vat_number"]) == "FR87524172699"
    assert (12 + 3 * (int(seller["siren"]) % 97)) % 97 == 87
    assert (seller["vat_regime"], seller["jurisdiction"]) == ("normal", "")
    assert (seller["address_line1"], seller["postal_code"], seller["city"]) == (
        "3 rue de l'Allier",
        "44000",
        "Nantes",
    )
    assert (
        seller["email_sales"]
        == clauses("clever-cloud")["withdrawal.period"]["parameters"]["address"]
    )


def test_the_agency_identity_invents_nothing():
    seller = SEEDS["neo7-studio-web"].seller
    assert (seller["siren"], seller["siret"], seller["vat_number"]) == ("", "", "")
    assert seller["vat_regime"] == "franchise_293b"
    assert seller["address_line1"] == "Adresse à compléter"
    assert (seller["city"], seller["jurisdiction"]) == ("Nantes", "Tribunaux de Nantes (44)")
    assert any("Adresse à compléter" in note for note in seller["notes"])


def test_the_brand_colours_differ():
    assert len({SEEDS[slug].seller["brand_color"] for slug in SEED_SLUGS}) == len(SEED_SLUGS)


# --- the loader refuses bad data -----------------------------------------------------------------


@pytest.fixture
def seed_copy(tmp_path):
    """A writable copy of the agency's seed folder; returns (root, version JSON path)."""
    with resources.as_file(resources.files("clausier.terms.seeds") / "neo7-studio-web") as src:
        shutil.copytree(src, tmp_path / "neo7-studio-web")
    return tmp_path, tmp_path / "neo7-studio-web" / "cgv-v3.0.json"


def rewrite(path, change):
    """Apply ``change(data, clause_by_id)`` to the version JSON at ``path``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data, {c["clause_id"]: c for c in data["clauses"]})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_copy_loads_like_the_packaged_seed(seed_copy):
    root, _ = seed_copy
    assert load_seed("neo7-studio-web", root=root) == SEEDS["neo7-studio-web"]


def test_invalid_parameters_are_refused_naming_the_file_and_the_clause(seed_copy):
    root, path = seed_copy
    rewrite(path, lambda d, by_id: by_id["payment.due"]["parameters"].update(n=-1))
    with pytest.raises(ValueError, match=r"cgv-v3\.0\.json: clause 'payment\.due'.*parameters\.n"):
        load_seed("neo7-studio-web", root=root)


def test_a_duplicate_clause_id_is_refused(seed_copy):
    root, path = seed_copy
    rewrite(path, lambda d, by_id: d["clauses"].append(by_id["terms.scope"]))
    with pytest.raises(ValueError, match=r"clause 'terms\.scope': duplicate clause id"):
        load_seed("neo7-studio-web", root=root)


def test_a_missing_text_file_is_refused(seed_copy):
    root, _ = seed_copy
    (root / "neo7-studio-web" / "cgv-v3.0.md").unlink()
    with pytest.raises(ValueError, match=r"cgv-v3\.0\.json: text file 'cgv-v3\.0\.md' is missing"):
        load_seed("neo7-studio-web", root=root)


def test_an_unknown_clause_key_is_refused(seed_copy):
    root, path = seed_copy
    rewrite(path, lambda d, by_id: by_id["terms.scope"].update(position=3))
    with pytest.raises(ValueError, match=r"unknown keys \['position'\]"):
        load_seed("neo7-studio-web", root=root)
