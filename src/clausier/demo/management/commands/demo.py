from django.core.management.base import BaseCommand

from clausier.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo data set and print the demo logins. Safe to run twice."

    def handle(self, *args, **options) -> None:
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (username / password):")
        for login in logins:
            self.stdout.write(f"  {login.username} / {login.password}  ({login.role})")
