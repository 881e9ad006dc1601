"""tagwire: a self-hosted news wire organised by hashtags."""

__version__ = "0.1.0"
