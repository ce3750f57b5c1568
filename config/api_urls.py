"""Version 1 of the public API (docs: ../shared/api-v1.md, schema at /api/schema/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from plaudit.audit.views import AuditEventViewSet
from plaudit.events.views import NotificationViewSet, WebhookViewSet, delivery_status
from plaudit.imports.views import ImportJobViewSet, PeopleExportView, RewardsExportView
from plaudit.ledger.views import EntryListView, GrantView
from plaudit.people.views import MeView, PersonViewSet, TokenRefresh, TokenView
from plaudit.recognition.views import (
    CelebrationMilestoneViewSet,
    CompanyValueViewSet,
    LeaderboardView,
    RecognitionViewSet,
    TeamPointsView,
    TrendingView,
)
from plaudit.reports.views import TopSalariesView
from plaudit.rewards.views import RedemptionViewSet, RewardViewSet
from plaudit.tokens.views import ApiTokenViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("rewards", RewardViewSet, basename="reward")
router.register("redemptions", RedemptionViewSet, basename="redemption")
router.register("recognitions", RecognitionViewSet, basename="recognition")
router.register("values", CompanyValueViewSet, basename="value")
router.register(
    "celebrations/milestones", CelebrationMilestoneViewSet, basename="celebration-milestone"
)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("imports", ImportJobViewSet, basename="import")
router.register("tokens", ApiTokenViewSet, basename="api-token")
router.register("audit", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/refresh/", TokenRefresh.as_view(), name="token-refresh"),
    path("me/", MeView.as_view(), name="me"),
    # Before the router, whose people/{id}/ would otherwise take "export" for an id.
    path("people/export/", PeopleExportView.as_view(), name="people-export"),
    path("rewards/export/", RewardsExportView.as_view(), name="rewards-export"),
    path("points/grants/", GrantView.as_view(), name="points-grants"),
    path("points/entries/", EntryListView.as_view(), name="points-entries"),
    path("reports/top-salaries/", TopSalariesView.as_view(), name="reports-top-salaries"),
    path("reports/leaderboard/", LeaderboardView.as_view(), name="reports-leaderboard"),
    path("reports/trending/", TrendingView.as_view(), name="reports-trending"),
    path("reports/team/", TeamPointsView.as_view(), name="reports-team"),
    path("events/status/", delivery_status, name="events-status"),
    *router.urls,
]
