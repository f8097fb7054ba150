from django.conf import settings
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
        roles = ", ".join(settings.MFA_REQUIRED_ROLES)
        if roles:
            self.stdout.write(
                f"Second factor required of the roles {roles} (MFA_REQUIRED_ROLES): at their "
                "first login they enrol an authenticator app. `make demo` requires none."
            )
        else:
            self.stdout.write(
                "No second factor required (MFA_REQUIRED_ROLES is empty); anyone may enrol one "
                "at /account/security/."
            )
