"""The error pages wear the product's look, with DEBUG off as in production; the 500 page
renders with nothing but the URL configuration (no request context, no database)."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import make_seller, make_staff


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_the_500_page_renders_without_database_or_request_context():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/anything/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in html
    assert 'href="/static/clausier/clausier.css"' in html  # the product's look
    assert 'href="/static/clausier/favicon.svg"' in html
    assert 'class="brand"' in html


@pytest.mark.django_db
def test_an_unknown_page_is_the_products_404(client):
    response = client.get("/nowhere/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html
    assert 'href="/static/clausier/favicon.svg"' in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_an_unknown_page_speaks_english_under_en(client):
    html = client.get("/en/nowhere/").content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html


@pytest.mark.django_db
def test_a_page_of_another_space_is_the_products_403_or_404(client):
    seller, other = make_seller("alpha"), make_seller("beta")
    client.force_login(make_staff(seller))
    response = client.get(f"/backoffice/{other.slug}/")
    assert response.status_code in (403, 404)
    html = response.content.decode()
    assert 'class="panel"' in html
    assert 'href="/static/clausier/clausier.css"' in html


def test_the_favicon_is_shipped():
    from django.contrib.staticfiles import finders

    path = finders.find("clausier/favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")
