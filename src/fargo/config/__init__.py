"""Configuration: the Settings model and the layers (file, environment, flags) that fill it."""

from fargo.config.app_sources import is_app_config, load_app_config  # noqa: I001 (after Settings)
from fargo.config.settings import Settings
from fargo.config.sources import load_settings, validate

__all__ = ["Settings", "is_app_config", "load_app_config", "load_settings", "validate"]
