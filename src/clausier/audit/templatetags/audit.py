"""The audit trail in templates: ``{{ event|sentence }}``, ``{{ event|event_changes }}``."""

from django import template

from clausier.audit import sentences
from clausier.audit.models import Event

register = template.Library()


@register.filter
def sentence(event: Event) -> str:
    return sentences.sentence(event)


@register.filter
def event_changes(event: Event) -> list[tuple[str, str | None, str | None]]:
    return sentences.changes(event)
