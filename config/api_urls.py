"""One router for every app's API viewsets."""

from rest_framework.routers import DefaultRouter

from brokerage.case_api import CaseViewSet
from brokerage.engagement_api import EngagementViewSet
from brokerage.provider_api import ProviderViewSet
from categorisation.api import CategorisationViewSet, SchoolCategorisationViewSet
from clusters.alliance_api import AllianceViewSet
from clusters.api import ClusterViewSet, MembershipViewSet, RegisterSchoolViewSet
from funding.api import FundPositionViewSet, LedgerViewSet
from schools.api import TrustViewSet

router = DefaultRouter()
router.register("schools", RegisterSchoolViewSet, basename="school")
router.register("trusts", TrustViewSet, basename="trust")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("providers", ProviderViewSet, basename="provider")
router.register("categorisations", CategorisationViewSet, basename="categorisation")
router.register(
    r"schools/(?P<urn>\d+)/categorisations",
    SchoolCategorisationViewSet,
    basename="school-categorisation",
)
router.register("cases", CaseViewSet, basename="case")
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("fund/position", FundPositionViewSet, basename="fund-position")
router.register("fund/ledger", LedgerViewSet, basename="fund-ledger")

urlpatterns = router.urls
