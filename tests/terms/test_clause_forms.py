"""Each kind of clause is edited with a form of its own, built from its schema: labelled
fields in words, units and events in words, the law in the help, and the schema's refusals
next to the field they concern, in words. Nothing is stored on refusal."""

from datetime import date

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from clausier.terms import services
from clausier.terms.schemas import KINDS, parse_parameters, validate_parameters
from clausier.terms.seeds import SEED_SLUGS, load_seed
from clausier.terms.ui.clause_forms import clause_form_class
from clausier.terms.ui.clause_words import KIND_WORDS

SEED_CLAUSES = [
    (slug, clause)
    for slug in SEED_SLUGS
    for version in load_seed(slug).versions
    for clause in version.clauses
]


def posted(form: forms.Form) -> QueryDict:
    """What a browser sends for ``form`` as shown (nothing typed)."""
    data = QueryDict(mutable=True)
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list):
            data.setlist(bound.html_name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def test_every_kind_has_a_form_and_a_name_in_words():
    for kind in KINDS:
        form_class = clause_form_class(kind)
        assert form_class.kind == kind
        assert kind in KIND_WORDS
    assert {clause["kind"] for _slug, clause in SEED_CLAUSES} <= set(KINDS)


@pytest.mark.parametrize(
    "clause", [c for _s, c in SEED_CLAUSES], ids=[f"{s}:{c['clause_id']}" for s, c in SEED_CLAUSES]
)
def test_each_seed_clause_shown_in_its_form_and_sent_back_keeps_its_parameters(clause):
    parameters = validate_parameters(clause["kind"], clause["parameters"])
    form_class = clause_form_class(clause["kind"])
    head = {k: clause[k] for k in ("clause_id", "article", "title", "excerpt")} | {"position": 1}
    shown = form_class(initial=head, parameters=parameters)
    sent = form_class(posted(shown), initial=head, parameters=parameters)
    assert sent.is_valid(), sent.errors
    assert sent.clause_fields()["parameters"] == parameters
    # a new clause typed with the same values (no stored value to fall back on) agrees too,
    # as typed values (a percentage typed 30 is 0.3, stored 0.30 in the seed)
    fresh = form_class(posted(shown))
    assert fresh.is_valid(), fresh.errors
    typed = fresh.clause_fields()["parameters"]
    assert parse_parameters(clause["kind"], typed) == parse_parameters(clause["kind"], parameters)


# --- through the screens ----------------------------------------------------------------------


@pytest.fixture
def draft(seller):
    """A draft with the agency's clauses (late penalty, deposit, renewal...) and the host's
    SLA and business hours."""
    version = services.create_draft(
        seller=seller, label="v2", effective_date=date(2026, 9, 1), text="# CGV", by=None
    )
    for position, (_slug, clause) in enumerate(SEED_CLAUSES):
        if clause["kind"] == "text" or version.clauses.filter(clause_id=clause["clause_id"]):
            continue
        fields = {k: clause[k] for k in ("clause_id", "kind", "article", "title", "excerpt")}
        services.add_clause(
            version=version,
            fields=fields | {"parameters": clause["parameters"], "position": position},
            by=None,
        )
    return version


def edit(client, seller, draft, clause_id: str, changes: dict):
    clause = draft.clauses.get(clause_id=clause_id)
    url = reverse("backoffice:clause", args=[seller.slug, draft.pk, clause.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = posted(page.context["form"])
    for key, value in changes.items():
        if isinstance(value, list):
            data.setlist(key, value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    response = client.post(url, {key: data.getlist(key) for key in data})
    clause.refresh_from_db()
    return response, clause


@pytest.mark.parametrize(
    ("clause_id", "changes", "expected"),
    [
        (
            "payment.due",
            {"p_n": "30", "p_unit": "jours_calendaires", "p_from": "execution"},
            {"n": 30, "unit": "jours_calendaires", "from": "execution"},
        ),
        ("late.penalty", {"p_multiplier": "3,5"}, {"multiplier": "3.5"}),
        ("late.indemnity", {"p_amount": "40"}, {"amount": "40"}),
        ("payment.deposit", {"p_rate": "40"}, {"rate": "0.4"}),
        ("liability.cap", {"p_ratio": "100"}, {"ratio": "1"}),
        (
            "contract.renewal",
            {"p_notice__n": "2", "p_chatel_information": "on"},
            {"notice": {"n": 2, "unit": "mois", "from": "term"}, "chatel_information": True},
        ),
        (
            "contract.renewal",
            {"p_notice__n": "", "p_notice__unit": "", "p_notice__from": "", "p_tacit": None},
            {"notice": None, "tacit": False},
        ),
        (
            "withdrawal.period",
            {"p_n": "14", "p_unit": "jours_calendaires", "p_from": "contract_conclusion"},
            {"n": 14, "unit": "jours_calendaires", "from": "contract_conclusion"},
        ),
        (
            "sla.standard",
            {"p_gtr_0": "6", "p_gti_outside_0": ""},
            {"gtr": "PT6H", "gti_outside": None},
        ),
        (
            "sla.business_hours",
            {"p_schedule__5": "09:00-12:00", "p_schedule__4": "9:00-12:00, 14:00-17:00"},
            {
                "schedule": {
                    **{d: [["09:00", "18:00"]] for d in "0123"},
                    "4": [["09:00", "12:00"], ["14:00", "17:00"]],
                    "5": [["09:00", "12:00"]],
                }
            },
        ),
        ("clients.kinds", {"p_kinds": ["company", "consumer"]}, {"kinds": ["company", "consumer"]}),
        (
            "guarantees.datacenter",
            {"p_items": "APSAD R82\r\n\r\nISO 27001\n"},
            {"items": ["APSAD R82", "ISO 27001"]},
        ),
    ],
)
def test_editing_a_clause_through_its_form_stores_its_parameters(
    client, owner, seller, draft, clause_id, changes, expected
):
    client.force_login(owner)
    before = draft.clauses.get(clause_id=clause_id).parameters
    response, clause = edit(client, seller, draft, clause_id, changes)
    assert response.status_code == 302, response.context["form"].errors
    assert clause.parameters == validate_parameters(clause.kind, before | expected)


@pytest.mark.parametrize(
    ("clause_id", "changes", "label", "message"),
    [
        ("late.penalty", {"p_multiplier": "0"}, "Multiplicateur du taux", "Plus de 0."),
        ("payment.deposit", {"p_rate": "150"}, "Acompte (% du devis HT)", "Au plus 100 %."),
        ("withdrawal.period", {"p_n": "-1"}, "Durée", "Au moins 0."),
        ("contract.renewal", {"p_notice__n": "-2"}, "Préavis : Durée", "Au moins 0."),
        (
            "contract.termination_breach",
            {"p_cure__from": ""},
            "Délai pour remédier au manquement : À compter de",
            "Ce champ est obligatoire.",
        ),
        (
            "quote.rules",
            {"p_acceptance_methods": []},
            "Modes d&#x27;acceptation",
            "Ce champ est obligatoire.",
        ),
        (
            "hosting.restore_fee",
            {"p_amount": "79,001"},
            "Montant (€)",
            "Au plus 2 chiffres après la virgule.",
        ),
        ("sla.business_hours", {"p_schedule__0": "le matin"}, "Lundi", "écrivez chaque plage"),
    ],
)
def test_a_bad_value_is_refused_next_to_its_field_in_words_and_nothing_is_stored(
    client, owner, seller, draft, clause_id, changes, label, message
):
    client.force_login(owner)
    before = draft.clauses.get(clause_id=clause_id).parameters
    response, clause = edit(client, seller, draft, clause_id, changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{label}</a> : " in html  # the summary names the field in words
    assert message in html
    assert "parameters." not in html
    assert clause.parameters == before


def test_a_new_clause_is_added_through_the_form_of_its_kind(client, owner, seller, draft):
    client.force_login(owner)
    version_page = client.get(reverse("backoffice:terms_version", args=[seller.slug, draft.pk]))
    assert "Pénalités de retard" in version_page.content.decode()  # the kinds in words
    url = reverse("backoffice:clause_add", args=[seller.slug, draft.pk]) + "?kind=consumer.mediator"
    page = client.get(url).content.decode()
    assert "Nouvelle clause : Médiateur de la consommation" in page
    assert "C. conso. L612-1" in page
    head = {"clause_id": "consumer.mediator", "article": "art. 14", "title": "Médiation"}
    head |= {"excerpt": "le médiateur CM2C", "position": 60}
    refused = client.post(url, head | {"p_name": ""})
    assert refused.status_code == 400
    assert not draft.clauses.filter(clause_id="consumer.mediator").exists()
    response = client.post(url, head | {"p_name": "CM2C", "p_url": "https://www.cm2c.net"})
    assert response.status_code == 302
    clause = draft.clauses.get(clause_id="consumer.mediator")
    assert clause.parameters == {"name": "CM2C", "url": "https://www.cm2c.net"}


def test_a_published_clause_is_not_edited(client, owner, seller, terms):
    client.force_login(owner)
    clause = terms.clauses.get()
    url = reverse("backoffice:clause", args=[seller.slug, terms.pk, clause.pk])
    before = clause.parameters
    response = client.post(url, {"p_n": "60"})
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.parameters == before


# --- French and English -----------------------------------------------------------------------

# Words that read the same in both languages.
SAME_IN_BOTH = {"PayPal", "—", "Position", "Article", "Minutes", "minutes"}


def shown_words(kind: str) -> list[str]:
    form = clause_form_class(kind)()
    texts = []
    for bound in form:
        texts += [str(bound.label), str(bound.help_text)]
        for _value, label in getattr(bound.field, "choices", []):
            texts.append(str(label))
    texts.append(str(form.kind_label))
    return texts


@pytest.mark.parametrize("kind", KINDS)
def test_every_label_help_and_choice_is_translated(kind):
    with translation.override("fr"):
        french = shown_words(kind)
    with translation.override("en"):
        english = shown_words(kind)
    untranslated = [
        fr
        for fr, en in zip(french, english, strict=True)
        if fr == en and fr and fr not in SAME_IN_BOTH
    ]
    # a clause's own event (not among the known ones) is shown as typed, in both languages
    assert untranslated == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_clause_page_renders_in_each_language(client, owner, seller, draft, language):
    client.force_login(owner)
    clause = draft.clauses.get(clause_id="late.penalty")
    with translation.override(language):
        url = reverse("backoffice:clause", args=[seller.slug, draft.pk, clause.pk])
    assert url.startswith("/en/") == (language == "en")
    html = client.get(url).content.decode()
    if language == "en":
        assert "Late penalties" in html
        assert "the legal interest rate" in html
        assert "C. com. L441-10 II" in html
        for french in (
            "Multiplicateur",
            "Taux de référence",
            "Assiette",
        ):
            assert french not in html
    else:
        assert "Pénalités de retard" in html
        assert "Au moins 3 fois le taux d&#x27;intérêt légal" in html
