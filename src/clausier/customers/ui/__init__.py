"""The customers screens."""
