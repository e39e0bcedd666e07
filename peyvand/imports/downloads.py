"""Files the imports keep: the original sheet of an import batch, for the staff who may see the batch."""

from peyvand.core import files, permissions

from .models import ImportBatch

files.register(
    files.Download(
        kind="import_file",
        model=ImportBatch,
        field="file",
        may_download=lambda user, batch: permissions.can(user, permissions.VIEW, batch),
        filename=lambda batch: batch.original_name,
    )
)
