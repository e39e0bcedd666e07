"""URLs of uploaded files, mounted at ``/files/``: one permission-checked view for every kind (core.files)."""

from .files import urlpatterns as _file_patterns

app_name = "files"
urlpatterns = _file_patterns()
