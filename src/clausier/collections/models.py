from clausier.collections.dunning_models import *  # noqa: F403
