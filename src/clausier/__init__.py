"""clausier: a company's terms of sale, run as software."""

__version__ = "0.1.0"
