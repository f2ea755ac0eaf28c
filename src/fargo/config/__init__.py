"""Configuration: the Settings model and the layers (file, environment, flags) that fill it."""

from fargo.config.settings import Settings
from fargo.config.sources import is_app_config, load_app_config, load_settings, validate

__all__ = ["Settings", "is_app_config", "load_app_config", "load_settings", "validate"]
