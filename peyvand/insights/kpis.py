"""Placeholders for the figures of modules that have not landed yet (see ``core/kpis.py``).

Each says "not yet available" wherever it is shown — never a guessed number. When its module lands,
the module declares the same code in its own ``kpis.py`` and that declaration replaces the placeholder.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis

PLACEHOLDERS = [
    kpis.KPI(
        code="new_investors",
        name=_("New investors"),
        definition=_("Investors whose first land-allocation contract falls inside the period."),
        period=kpis.WINDOW,
        available=False,
        arrives_with=_("the investors and land module"),
        public=True,
        order=25,
        app="investment",
    ),
    kpis.KPI(
        code="plants_due_by_year_end",
        name=_("Treatment plants due by year end"),
        definition=_(
            "Wastewater treatment plants not yet operating whose planned opening date falls on or before "
            "the end of the Jalali year of the date."
        ),
        period=kpis.AS_OF,
        available=False,
        arrives_with=_("the green estates module"),
        public=True,
        order=26,
        app="green",
    ),
    kpis.KPI(
        code="direct_exports",
        name=_("Direct exports"),
        definition=_("Value of the export records (US dollars) of the units, by customs declaration month."),
        unit="usd",
        period=kpis.WINDOW,
        available=False,
        arrives_with=_("the exports and value chains module"),
        public=True,
        order=59,
        app="trade",
    ),
]

for placeholder in PLACEHOLDERS:
    kpis.register(placeholder)
