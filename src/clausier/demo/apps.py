from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set: `clausier demo` loads it, as many times as you like."""

    name = "clausier.demo"
    label = "demo"
