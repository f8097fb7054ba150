"""The terms screens."""
