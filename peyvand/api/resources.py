"""The ``/api/v1/`` resources: each domain app declares its viewsets in its ``api.py``; registered here."""

from rest_framework.routers import DefaultRouter

from peyvand.accounts.api import OrganisationViewSet
from peyvand.estates.api import EstateViewSet, PlotViewSet
from peyvand.sourcing.api import GapViewSet, InvitationViewSet, LinkageViewSet, MatchViewSet, RequestViewSet
from peyvand.units.api import UnitViewSet

from .base import RootView


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False
    APIRootView = RootView


router = Router()
router.register("estates", EstateViewSet, basename="estate")
router.register("plots", PlotViewSet, basename="plot")
router.register("units", UnitViewSet, basename="unit")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("requests", RequestViewSet, basename="request")
router.register("matches", MatchViewSet, basename="match")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("linkages", LinkageViewSet, basename="linkage")
router.register("gaps", GapViewSet, basename="gap")

urlpatterns = router.urls
