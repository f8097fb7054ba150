from clausier.collections.standing_models import Acceleration, Suspension  # noqa: F401
