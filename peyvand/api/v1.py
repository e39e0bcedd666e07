"""The URLconf of ``/api/v1/``: what the apps registered in ``resources`` (``urls.py`` discovers their ``api.py``
modules before it includes this one)."""

from . import resources

urlpatterns = resources.paths + resources.router.urls
