"""A printed file written once: the same bytes reuse the file, other bytes never replace it."""

from django.db import models
from django.db.models.fields.files import FieldFile

from clausier.documents.stored import read_file, sha256_of, write_once


def field_file(name: str = "") -> FieldFile:
    return FieldFile(None, models.FileField(upload_to="printed/"), name)


def test_the_same_bytes_reuse_the_file_and_other_bytes_never_replace_it(media):
    name = "printed/1/2026/D2026-000001-0123456789abcdef.pdf"
    first = write_once(field_file(), name, b"%PDF-1.7 first", sha256_of(b"%PDF-1.7 first"))
    again = write_once(field_file(), name, b"%PDF-1.7 first")
    other = write_once(field_file(), name, b"%PDF-1.7 other")

    assert first == again == name
    assert other != name
    assert read_file(field_file(name)) == b"%PDF-1.7 first"
    assert read_file(field_file(other)) == b"%PDF-1.7 other"
    assert sorted(p.name for p in (media / "printed/1/2026").iterdir()) == sorted(
        [name.rsplit("/", 1)[1], other.rsplit("/", 1)[1]]
    )


def test_sha256_of_is_the_hex_digest():
    assert sha256_of(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
