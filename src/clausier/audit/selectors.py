from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from clausier.audit.models import Event


def events_for_object(*, obj: models.Model) -> QuerySet[Event]:
    """The trail of one object, newest first (the caller has already scoped ``obj``)."""
    return Event.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
    ).select_related("actor")


def events_for_seller(*, seller, hidden: Iterable[QuerySet] = ()) -> QuerySet[Event]:
    """The seller's trail, without the events of the objects in ``hidden`` (querysets of
    objects the reader may not see: a confidential document, seed 002 art. 9)."""
    events = Event.objects.filter(seller=seller).select_related("actor", "object_type")
    for objects in hidden:
        ids = [str(pk) for pk in objects.values_list("pk", flat=True)]
        if ids:
            kind = ContentType.objects.get_for_model(objects.model, for_concrete_model=True)
            events = events.exclude(object_type=kind, object_id__in=ids)
    return events
