"""A seed's terms published for its seller through the services: installing twice changes
nothing, and a seed never overwrites a version the seller already has under its label."""

import dataclasses

import pytest

from clausier.audit.models import Event
from clausier.demo.seeding import install_seed
from clausier.kernel.errors import Conflict
from clausier.terms import services
from clausier.terms.models import TermsStatus, TermsVersion
from clausier.terms.seeding import publish_seed_terms
from clausier.terms.seeds import load_seed

pytestmark = pytest.mark.django_db

SLUG = "neo7-studio-web"


def test_the_seed_installs_its_seller_and_publishes_its_terms_once():
    seller = install_seed(slug=SLUG, by=None)
    (version,) = TermsVersion.objects.filter(seller=seller)
    assert (version.label, version.status) == ("v3.0", TermsStatus.PUBLISHED)
    assert version.clauses.count() == len(load_seed(SLUG).versions[0].clauses)
    events = Event.objects.filter(seller=seller).count()

    again = install_seed(slug=SLUG, by=None)

    assert again == seller
    assert TermsVersion.objects.filter(seller=seller).count() == 1
    assert Event.objects.filter(seller=seller).count() == events


def test_a_published_version_with_another_text_is_a_conflict():
    seller = install_seed(slug=SLUG, by=None)
    seed = load_seed(SLUG)
    changed = dataclasses.replace(
        seed, versions=[dataclasses.replace(seed.versions[0], text="Un autre texte.")]
    )

    with pytest.raises(Conflict, match="déjà publiée avec un autre texte"):
        publish_seed_terms(seller=seller, seed=changed, by=None)


def test_a_draft_under_the_seeds_label_is_a_conflict_and_stays_a_draft():
    seller = install_seed(slug="clever-cloud", by=None)
    seed = load_seed(SLUG)
    draft = services.create_draft(
        seller=seller,
        label="v3.0",
        title="Brouillon",
        effective_date=seed.versions[0].effective_date,
        text="Brouillon en cours.",
        by=None,
    )

    with pytest.raises(Conflict, match=r"Un brouillon CGV v3\.0 existe déjà"):
        publish_seed_terms(seller=seller, seed=seed, by=None)

    draft.refresh_from_db()
    assert draft.status == TermsStatus.DRAFT
