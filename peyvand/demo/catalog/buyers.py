"""14 invented export-oriented buyer firms of Gilan and their sourcing-request templates (~65).

Each buyer: ``{"code", "name_fa", "name_en", "county", "sector_fa", "sector_en", "export_markets",
"requests"}``; each request (see ``_util.request``): ``{"title_fa", "title_en", "text_fa", "text_en",
"lang" ("fa"/"en": the language the buyer writes in), "quantity", "unit_fa", "unit_en",
"target_price_rial" (per unit, 2026 prices, or None), "certifications" ([(code, "must_have" |
"preferred")]), "preferred_counties", "industry"}``.

``industry`` is the key of the ``INDUSTRIES`` profile that can supply the request — except for the
keys in ``GAP_INDUSTRIES``: nothing in the Gilan demo makes those, so their requests open supply gaps.
"""

from __future__ import annotations

from .buyers_food import BUYERS_FOOD
from .buyers_industry import BUYERS_INDUSTRY

#: Industries no demo unit belongs to, with their labels: requests for them are deliberate gaps.
GAP_INDUSTRIES = {
    "aseptic_bags": ("کیسه آسپتیک", "aseptic bags"),
    "precision_bearings": ("بلبرینگ دقیق", "precision bearings"),
    "optical_fibre": ("کابل فیبر نوری", "optical fibre cable"),
}

BUYERS = [*BUYERS_FOOD, *BUYERS_INDUSTRY]
BUYER_BY_CODE = {buyer["code"]: buyer for buyer in BUYERS}
