"""One router per resource, mounted by ``clausier.api.api``."""
