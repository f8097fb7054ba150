from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "clausier.ops"
    verbose_name = "Exploitation"
