"""The catalog screens."""
