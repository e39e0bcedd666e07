"""PostgreSQL: the export records' folded search column gets a GIN trigram index (``core.search``)."""

from django.db import migrations

from peyvand.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("trade", "0002_creation_fields_from_one_mixin")]

    operations = [trigram_indexes("trade_exportrecord", "search_text")]
