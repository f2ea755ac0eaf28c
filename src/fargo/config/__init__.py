"""Configuration: the Settings model and the layers (file, environment, flags) that fill it."""

from fargo.config.settings import Settings
from fargo.config.sources import load_settings, validate

__all__ = ["Settings", "load_settings", "validate"]
