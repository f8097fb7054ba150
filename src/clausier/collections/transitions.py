"""The state tables of collections, one module per topic."""

from clausier.collections.dunning.transitions import (  # noqa: F401
    TRANSITIONS as DUNNING_NOTICE_TRANSITIONS,
)
