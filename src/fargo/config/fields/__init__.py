"""The settings, in groups: each module one group of fields with its own value checks.

A single service (today's fargo.toml) is all groups together (`fargo.config.Settings`); the
groups are also the parts an environment and its services are made of.
"""
