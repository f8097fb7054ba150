from django.core.management.base import BaseCommand

from clausier.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load (or refresh) the demo data set: both seed sellers, their terms, clients of every "
        "kind, staff for every role. Prints the demo logins. Safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (username / password), at /login/:")
        width = max(len(login.username) for login in logins) + len(logins[0].password) + 3
        for login in logins:
            credentials = f"{login.username} / {login.password}"
            self.stdout.write(f"  {credentials:<{width}}  {login.role}")
