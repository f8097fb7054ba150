"""Tests never write into the working tree: stored files go to each test's own MEDIA_ROOT."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod
from tests.conftest import media_files, project_media_root
from tests.factories import make_client, make_published_terms, make_seller


def test_every_test_has_its_own_media_root(tmp_path):
    assert Path(settings.MEDIA_ROOT) == tmp_path / "media"
    assert project_media_root() != Path(settings.MEDIA_ROOT)


def test_a_postal_scan_is_stored_under_the_tests_directory_not_var_media(db, tmp_path):
    project_media = project_media_root()
    before = media_files(project_media)
    seller = make_seller()
    client = make_client(seller)
    version = make_published_terms(seller)

    acceptance = terms_services.record_acceptance(
        client=client,
        version=version,
        method=AcceptanceMethod.POSTAL_SCAN,
        accepted_by_name="Camille Martin",
        by=None,
        evidence_file=SimpleUploadedFile(
            "bon-pour-accord.pdf", b"%PDF-1.4 scan", content_type="application/pdf"
        ),
    )

    stored = Path(acceptance.evidence_file.path)
    assert stored.is_file()
    assert stored.is_relative_to(tmp_path)
    assert stored.read_bytes() == b"%PDF-1.4 scan"
    assert media_files(project_media) == before
