"""PostgreSQL: the units' folded search columns get GIN trigram indexes (see ``core.search.trigram_indexes``)."""

from django.db import migrations

from peyvand.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("units", "0008_add_product_tariff_line")]

    operations = [
        trigram_indexes("units_productionunit", "search_text", "private_search_text", "search_name"),
    ]
