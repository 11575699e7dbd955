"""Signals that lower layers send for higher ones to act on, without importing them."""

from django.dispatch import Signal

# Sent by code that writes rows the public figures read without going through the ORM's
# per-object saves (bulk loaders of reference tables and memberships, demo loads and resets).
# Argument `since`: the first day whose figures may have changed, or None for every day.
registry_changed = Signal()
