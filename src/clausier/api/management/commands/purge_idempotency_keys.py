from django.core.management.base import BaseCommand

from clausier.api.idempotency import TTL, purge_expired


class Command(BaseCommand):
    help = (
        f"Delete the API's idempotency keys older than {TTL} (they are ignored anyway: this "
        "only reclaims space). Safe to run as often as you like; `clausier scheduler` "
        "queues it daily."
    )

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"{deleted} expired idempotency key(s) deleted.")
