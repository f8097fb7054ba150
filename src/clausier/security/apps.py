from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Login security: throttling and lockout, the staff's second factor (TOTP and recovery
    codes), and the security events of the audit trail."""

    name = "clausier.security"
    label = "security"
    verbose_name = _("Sécurité des connexions")

    def ready(self) -> None:
        # Django's login signals are the one place every login passes (the login page, the
        # admin's, the test client's): the receivers are listed in auth_signals.py.
        from clausier.security import auth_signals

        auth_signals.connect()
