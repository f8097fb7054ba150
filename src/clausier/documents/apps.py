import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Commands that never check typed text against the print fonts: no fonts read for them.
COMMANDS_WITHOUT_TEXT = frozenset(
    {
        "changepassword",
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "dbshell",
        "makemessages",
        "makemigrations",
        "migrate",
        "showmigrations",
        "sqlmigrate",
    }
)


def needs_fonts(argv: list[str]) -> bool:
    """Whether this process may check typed text: a server, a worker, a test run, any
    command but those of :data:`COMMANDS_WITHOUT_TEXT`."""
    command = argv[1].replace("-", "_") if len(argv) > 1 else ""
    return command not in COMMANDS_WITHOUT_TEXT


class DocumentsConfig(AppConfig):
    """Printed documents (PDF/A through Typst) and the emails that carry them."""

    name = "clausier.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The print fonts' code points (read once per process, under a second) are read in
        # the background as the process starts, so that the first form sent does not wait
        # for them; nothing waits for this thread, and a command without text skips it.
        if needs_fonts(sys.argv):
            from clausier.documents.glyphs import warm_up

            threading.Thread(target=warm_up, name="clausier-fonts", daemon=True).start()
