"""`make audit` (scripts/audit-deps): pip-audit's findings on the locked dependencies fail the
build; what the vulnerability service could not answer for is named, and fails only under
AUDIT_STRICT=1. pip-audit and uv's export are stood in for by scripts (the first writes
pip-audit's JSON report)."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_audit(tmp_path: Path, report: dict, **env: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pip-audit"
    # Writes the report where --output says, as pip-audit does.
    fake.write_text(
        "#!/bin/sh\n"
        'while [ "$#" -gt 0 ]; do [ "$1" = "--output" ] && out="$2"; shift; done\n'
        f"cat > \"$out\" <<'JSON'\n{json.dumps(report)}\nJSON\n"
    )
    uv = bin_dir / "uv"
    uv.write_text("#!/bin/sh\necho django==6.1.3\n")
    for script in (fake, uv):
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    python = Path(sys.executable).parent
    return subprocess.run(
        [str(ROOT / "scripts" / "audit-deps")],
        env={**os.environ, "PATH": f"{bin_dir}:{python}:/usr/bin:/bin", "UV": "uv", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


CLEAN = {"name": "django", "version": "6.1.3", "vulns": []}
VULNERABLE = {
    "name": "urllib3",
    "version": "2.0.0",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["2.0.7"], "aliases": [], "description": ""}],
}
UNANSWERED = {"name": "typst", "skip_reason": "Dependency not found on PyPI"}


def test_a_known_vulnerability_fails_the_audit_naming_the_fix(tmp_path):
    result = run_audit(tmp_path, {"dependencies": [CLEAN, VULNERABLE], "fixes": []})
    assert result.returncode != 0
    assert "VULNERABLE urllib3 2.0.0: GHSA-xxxx (fixed in 2.0.7)" in result.stdout
    assert "upgrade them" in result.stderr


def test_no_vulnerability_passes_and_names_what_could_not_be_looked_up(tmp_path):
    result = run_audit(tmp_path, {"dependencies": [CLEAN, UNANSWERED], "fixes": []})
    assert result.returncode == 0, result.stderr
    assert "1 of 2 locked dependencies could not be looked up" in result.stdout
    assert "typst" in result.stdout
    assert "1 of 2 locked dependencies audited, no known vulnerability" in result.stdout


def test_strict_mode_fails_on_a_dependency_not_looked_up(tmp_path):
    report = {"dependencies": [CLEAN, UNANSWERED], "fixes": []}
    assert run_audit(tmp_path, report, AUDIT_STRICT="1").returncode != 0
