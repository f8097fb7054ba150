import pytest
from django.core.exceptions import ValidationError

from clausier.sellers import services
from clausier.sellers.models import Seller
from clausier.sellers.selectors import sellers_for_user, staff_scope
from tests.factories import make_seller, make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "524172698", "clé de contrôle invalide"),
        ("siret", "52417269900010", "clé de contrôle invalide"),
        ("iban", "FR7630006000011234567890180", "IBAN"),
        ("bic", "NOTABIC", "BIC"),
        ("vat_number", "FR11524172699", "la clé devrait être 87"),
        ("brand_color", "blue", "#RRVVBB"),
    ],
)
def test_invalid_identifiers_are_refused_with_the_rule(field, value, message):
    with pytest.raises(ValidationError) as exc:
        make_seller("bad", **{field: value})
    assert message in " ".join(exc.value.message_dict[field])
    assert not Seller.objects.filter(slug="bad").exists()


def test_la_poste_siret_exception_is_accepted():
    seller = make_seller("la-poste", siren="356000000", siret="35600000049837")
    assert seller.siret == "35600000049837"


def test_one_person_can_be_staff_of_several_sellers_with_different_roles():
    a, b = make_seller(), make_seller()
    user = make_user()
    services.set_staff_role(seller=a, user=user, role="owner", by=None)
    services.set_staff_role(seller=b, user=user, role="accountant", by=None)
    assert set(sellers_for_user(user=user)) == {a, b}
    assert staff_scope(user=user, seller_slug=a.slug).can("terms.edit")
    assert not staff_scope(user=user, seller_slug=b.slug).can("clients.edit")


def test_staff_scope_of_another_seller_is_not_found():
    from django.http import Http404

    a, b = make_seller(), make_seller()
    user = make_staff(a)
    with pytest.raises(Http404):
        staff_scope(user=user, seller_slug=b.slug)


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError, match="rôle inconnu"):
        services.set_staff_role(seller=make_seller(), user=make_user(), role="boss", by=None)
