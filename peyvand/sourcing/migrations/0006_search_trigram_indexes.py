"""PostgreSQL: the requests' folded search column gets a GIN trigram index (``core.search``)."""

from django.db import migrations

from peyvand.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0005_creation_fields_from_one_mixin")]

    operations = [trigram_indexes("sourcing_sourcingrequest", "search_text")]
