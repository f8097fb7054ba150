"""Data files of the rules core (read with importlib.resources)."""
