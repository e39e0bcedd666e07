"""Plumbing signal: unit profiles changed in bulk (imports, merges) — listeners refresh derived data."""

from django.dispatch import Signal

# Sent with ``unit_ids`` (a list) after writes that bypass ``save()`` (bulk imports, merges).
profiles_changed = Signal()
