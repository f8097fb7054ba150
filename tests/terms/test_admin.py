import pytest

from clausier.terms.models import TermsVersion
from tests.factories import make_published_terms, make_seller, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_admin_shows_a_published_version_read_only(superuser_client):
    version = make_published_terms(make_seller())
    page = superuser_client.get(f"/admin/terms/termsversion/{version.pk}/change/")
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()


def test_admin_refuses_to_edit_or_delete_a_published_version(superuser_client):
    version = make_published_terms(make_seller())
    edit = superuser_client.post(
        f"/admin/terms/termsversion/{version.pk}/change/", {"text": "tampered", "label": "v1"}
    )
    delete = superuser_client.post(
        f"/admin/terms/termsversion/{version.pk}/delete/", {"post": "yes"}
    )
    assert (edit.status_code, delete.status_code) == (403, 403)
    version.refresh_from_db()
    assert version.text != "tampered"
    assert TermsVersion.objects.filter(pk=version.pk).exists()
