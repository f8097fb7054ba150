from django.core.management.base import BaseCommand

from clausier.webhooks.tasks import deliver_due


class Command(BaseCommand):
    help = "Attempt every outgoing webhook whose time has come (retries, catch-up)."

    def handle(self, *args, **options):
        counts = deliver_due.call()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
