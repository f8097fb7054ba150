"""The ``clausier`` command line: subcommands spelled with dashes or underscores."""

import os
import subprocess
import sys

from clausier.manage import command_line


def test_a_dashed_command_runs_the_command_of_that_name():
    assert command_line(["clausier", "verify-ledger", "--progress"]) == [
        "clausier",
        "verify_ledger",
        "--progress",
    ]
    assert command_line(["clausier", "expire_quotes"]) == ["clausier", "expire_quotes"]
    assert command_line(["clausier", "--version"]) == ["clausier", "--version"]


def test_clausier_verify_ledger_as_written_in_the_docs():
    env = os.environ | {"DATABASE_URL": "sqlite:///:memory:"}
    done = subprocess.run(
        [sys.executable, "-m", "clausier.manage", "verify-ledger", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "verify_ledger" in done.stdout or "verify-ledger" in done.stdout
    assert "--progress" in done.stdout
