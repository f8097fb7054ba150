"""The English catalogue translates every French source string, and compiles."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "src" / "clausier" / "locale"


@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_english_catalogue_is_complete(flag):
    po = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    )
    missing = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
    # msgattrib keeps the header entry (msgid "") when anything else is listed.
    assert missing in ([], ['msgid ""']), result.stdout


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogues_compile(language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
