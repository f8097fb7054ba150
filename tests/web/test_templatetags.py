"""The template helpers the back-office screens rely on (``web/templatetags/clausier.py``)."""

from datetime import date

from django.template import Context, Template

from clausier.rules.explain import Explained, Step
from clausier.web.templatetags.clausier import changes, explanation, markdown, params


def test_markdown_renders_terms_and_drops_raw_html():
    html = markdown("# Titre\n\n**gras** <script>alert(1)</script> [lien](javascript:alert(1))")
    assert "<h1>Titre</h1>" in html
    assert "<strong>gras</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_params_read_as_words():
    assert params({"n": 14, "unit": "jours_ouvres", "from": "invoice_date"}) == (
        "n: 14 · unit: jours ouvrés · from: invoice_date"
    )
    assert params({"tacit": True, "notice": {"n": 1, "unit": "mois", "from": "term"}}) == (
        "tacit: oui · notice: (n: 1 · unit: mois · from: term)"
    )
    assert params({}) == "—"


def test_explanation_accepts_an_explained_a_sentence_or_nothing():
    explained = Explained(
        value=date(2026, 6, 12),
        rule="deadline",
        law="CPC art. 640-642",
        steps=(Step("jour de départ non compté", date(2026, 5, 29)),),
    ).citing(clause="payment.due", terms="v3.0")
    parts = explanation(explained)
    assert parts["value"] == "12/06/2026"
    assert parts["law"] == "CPC art. 640-642"
    assert parts["clause"] == "payment.due"
    assert parts["steps"] == [("jour de départ non compté", "29/05/2026")]
    assert explanation("14 jours")["text"] == "14 jours"
    assert explanation(None)["text"] == ""


def test_why_component_shows_law_and_what_clausier_applies():
    html = Template(
        '{% include "web/_why.html" with law="C. conso. L221-18" law_text="14 jours" '
        'applied="14 jours calendaires" clause="withdrawal.period" %}'
    ).render(Context({}))
    assert '<details class="why">' in html
    assert "Pourquoi ?" in html
    assert "C. conso. L221-18" in html
    assert "Ce que clausier applique" in html
    assert "14 jours calendaires" in html


def test_changes_lists_before_and_after():
    rows = changes({"before": {"name": "A"}, "after": {"name": "B", "siren": "1"}})
    assert rows == [("name", "A", "B"), ("siren", None, "1")]


def render(source: str, **context) -> str:
    return Template("{% load i18n clausier %}" + source).render(Context(context))


def test_a_table_shows_its_rows_in_the_scrolling_wrapper_or_says_it_is_empty():
    source = (
        '{% table rows empty="Aucun jeton." css="compact" %}'
        "<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>{% endtable %}"
    )
    shown = render(source, rows=["a <b>"])
    assert shown == (
        '<div class="table-wrap"><table class="compact">'
        "<tbody><tr><td>a &lt;b&gt;</td></tr></tbody></table></div>"
    )
    assert render(source, rows=[]) == '<p class="empty">Aucun jeton.</p>'


def test_a_table_head_has_its_hidden_caption_classed_and_conditional_columns_and_actions():
    html = render(
        '{% table_head "Nom" "amount"|column:"Total TTC" "Client"|when:show_client '
        'caption="Factures" actions=True %}',
        show_client=False,
    )
    assert html == (
        '<caption class="visually-hidden">Factures</caption>\n<thead><tr>\n'
        '<th scope="col">Nom</th>\n<th scope="col" class="amount">Total TTC</th>\n'
        '<th scope="col"><span class="visually-hidden">Actions</span></th>\n</tr></thead>'
    )
    assert '<th scope="col">Client</th>' in render(
        '{% table_head "Client"|when:show_client %}', show_client=True
    )


def test_a_forms_fields_are_picked_by_name_in_the_order_asked_and_the_others_in_form_order():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()
        siren = forms.CharField()
        vat_number = forms.CharField()
        city = forms.CharField()

    form = Form()
    html = render(
        "{% for f in form|fields:'vat_number, siren' %}{{ f.name }} {% endfor %}|"
        "{% for f in form|other_fields:'vat_number,siren' %}{{ f.name }} {% endfor %}",
        form=form,
    )
    assert html == "vat_number siren |name city "
