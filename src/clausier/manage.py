"""The ``clausier`` command: Django's management commands for this project.

Commands may be typed with dashes as well as underscores (``clausier verify-ledger`` runs
``verify_ledger``), the way command-line tools are usually spelled.
"""

import os
import sys


def command_line(argv: list[str]) -> list[str]:
    """``argv`` with a dashed subcommand name turned into the module name Django looks up."""
    if len(argv) > 1 and not argv[1].startswith("-") and "-" in argv[1]:
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clausier.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_line(sys.argv))


if __name__ == "__main__":
    main()
