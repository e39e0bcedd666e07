"""Importing production units (with products and certifications) and their life-cycle history.

Both kinds go through the one engine (``imports/engine/``) and are registered in ``apps.py``.

* **units** — an incoming unit is matched to a stored one by national ID, then licence number, then
  normalised name within the same estate. A match is updated (blank cells never erase anything, products
  and certifications are only added) when the user may change it, and held for review otherwise.
  Inside the file the first row of a unit stands; later rows of the same unit are rejected naming it.
  A new unit starts its history with one initial record (from: none); a changed status is one dated move
  checked against ``choices.TRANSITIONS``.
* **status_changes** — history rows are checked against the transition table in date order, per unit
  (VOCABULARY.md), after the unit's last recorded change. A unit whose history is only its initial
  record may receive the earlier history too: the initial record then takes its place in the chain.

The unit's ``status`` and ``status_since`` always equal its last ``StatusChange`` afterwards.

The package by role: ``common`` (status and cause synonyms, the index of stored units), ``units`` (the
``units`` kind) and ``history`` (the ``status_changes`` kind).
"""

from __future__ import annotations

from .common import CAUSE_SYNONYMS, STATUS_SYNONYMS, UnitIndex, status_table
from .history import HistoryRow, StatusChangeImporter
from .units import UnitImporter, UnitPlan

__all__ = [
    "CAUSE_SYNONYMS",
    "STATUS_SYNONYMS",
    "HistoryRow",
    "StatusChangeImporter",
    "UnitImporter",
    "UnitIndex",
    "UnitPlan",
    "status_table",
]
