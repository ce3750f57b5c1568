"""The web app's URLs; names are reversed as ``web:<name>`` (``{% url 'web:rewards' %}``)."""

from django.urls import path, register_converter

from . import views
from .converters import DecisionConverter

register_converter(DecisionConverter, "decision")

app_name = "web"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", views.feed_page, name="feed"),
    path("kudos/", views.give_kudos, name="give-kudos"),
    path("recognitions/<int:pk>/reactions/", views.react, name="react"),
    path("recognitions/<int:pk>/comments/", views.comments, name="comments"),
    path(
        "recognitions/<int:pk>/comments/<int:comment_pk>/remove/",
        views.remove_comment,
        name="remove-comment",
    ),
    path("people/search/", views.people_search, name="people-search"),
    path("people/<int:pk>/chip/", views.recipient_chip, name="recipient-chip"),
    path("rewards/", views.RewardCatalogView.as_view(), name="rewards"),
    path("rewards/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("me/redemptions/", views.MyRedemptionsView.as_view(), name="my-redemptions"),
    path("me/redemptions/<int:pk>/cancel/", views.cancel_redemption, name="cancel-redemption"),
    path("me/points/", views.PointsHistoryView.as_view(), name="points-history"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("approvals/<int:pk>/<decision:decision>/", views.decide_redemption, name="decide"),
    path("hr/people/", views.PeopleDirectoryView.as_view(), name="people"),
    path("hr/rewards/new/", views.RewardCreateView.as_view(), name="reward-create"),
    path("hr/rewards/<int:pk>/edit/", views.RewardUpdateView.as_view(), name="reward-edit"),
    path("hr/rewards/<int:pk>/delete/", views.delete_reward, name="reward-delete"),
    path("hr/reports/", views.ReportsView.as_view(), name="reports"),
    path("hr/imports/", views.import_upload, name="imports"),
    path("hr/imports/<int:pk>/", views.import_job, name="import-job"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/read/", views.read_all_notifications, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.read_notification, name="notification-read"),
]
