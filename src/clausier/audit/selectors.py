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


def events_for_seller(*, seller) -> QuerySet[Event]:
    return Event.objects.filter(seller=seller).select_related("actor", "object_type")
