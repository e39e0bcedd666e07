"""Invented but realistic catalog data for the Gilan demo: pure Python, no Django, no I/O.

* ``counties`` — ``PROVINCE`` and the 17 ``COUNTIES``.
* ``estates`` — 33 industrial estates and zones (``ESTATES``).
* ``industries`` — ~50 industry profiles (``INDUSTRIES``) with products, certifications and
  description templates.
* ``names`` — brand words, legal forms, person names and street names for invented names.
* ``buyers`` — 14 buyer firms with ~65 sourcing-request templates (``BUYERS``, ``GAP_INDUSTRIES``).
* ``investors`` — 20 investors (``INVESTORS``).

Nothing here is a real company, estate or person.
"""

from __future__ import annotations

from .buyers import BUYERS, GAP_INDUSTRIES
from .counties import COUNTIES, PROVINCE
from .estates import ESTATES
from .industries import INDUSTRIES, INDUSTRY_BY_KEY
from .investors import INVESTORS

__all__ = [
    "BUYERS",
    "COUNTIES",
    "ESTATES",
    "GAP_INDUSTRIES",
    "INDUSTRIES",
    "INDUSTRY_BY_KEY",
    "INVESTORS",
    "PROVINCE",
]
