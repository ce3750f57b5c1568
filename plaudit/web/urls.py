"""The web app's URLs; names are reversed as ``web:<name>`` (``{% url 'web:rewards' %}``)."""

from django.urls import path, register_converter
from django.views.i18n import JavaScriptCatalog

from .converters import DecisionConverter
from .views import (
    audit,
    hr,
    imports,
    manager,
    notifications,
    people,
    preferences,
    recognition,
    rewards,
    site,
    tokens,
)

register_converter(DecisionConverter, "decision")

app_name = "web"

urlpatterns = [
    path("", recognition.HomeView.as_view(), name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("manifest.webmanifest", site.web_app_manifest, name="manifest"),
    # The words static/js/plaudit.js shows (the djangojs domain) and the language's number
    # format, in the language of the page that loads it.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["plaudit.web"]), name="jsi18n"),
    path("feed/", recognition.feed_page, name="feed"),
    path("kudos/", recognition.give_kudos, name="give-kudos"),
    path("recognitions/<int:pk>/", recognition.recognition_page, name="recognition"),
    path("recognitions/<int:pk>/reactions/", recognition.react, name="react"),
    path("recognitions/<int:pk>/comments/", recognition.comments, name="comments"),
    path(
        "recognitions/<int:pk>/comments/<int:comment_pk>/remove/",
        recognition.remove_comment,
        name="remove-comment",
    ),
    path("people/search/", recognition.people_search, name="people-search"),
    path("people/<int:pk>/chip/", recognition.recipient_chip, name="recipient-chip"),
    path("rewards/", rewards.RewardCatalogView.as_view(), name="rewards"),
    path("rewards/<int:pk>/redeem/", rewards.redeem, name="redeem"),
    path("me/redemptions/", rewards.MyRedemptionsView.as_view(), name="my-redemptions"),
    path("me/redemptions/<int:pk>/cancel/", rewards.cancel_redemption, name="cancel-redemption"),
    path("me/points/", rewards.PointsHistoryView.as_view(), name="points-history"),
    path("me/preferences/", preferences.save_preferences, name="preferences"),
    path("me/tokens/", tokens.own_tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", tokens.revoke_token, name="revoke-token"),
    path("team/", manager.TeamView.as_view(), name="team"),
    path("approvals/", manager.ApprovalsView.as_view(), name="approvals"),
    path("approvals/<int:pk>/<decision:decision>/", manager.decide_redemption, name="decide"),
    path("hr/people/", hr.PeopleDirectoryView.as_view(), name="people"),
    path("hr/people/<int:pk>/", people.PersonView.as_view(), name="person"),
    path("hr/people/<int:pk>/edit/", people.edit_person, name="person-edit"),
    path("hr/points/grant/", people.grant, name="grant-points"),
    path("hr/rewards/new/", hr.RewardCreateView.as_view(), name="reward-create"),
    path("hr/rewards/<int:pk>/edit/", hr.RewardUpdateView.as_view(), name="reward-edit"),
    path("hr/rewards/<int:pk>/delete/", hr.delete_reward, name="reward-delete"),
    path("hr/reports/", hr.ReportsView.as_view(), name="reports"),
    path("hr/tokens/", tokens.AllTokensView.as_view(), name="all-tokens"),
    path("hr/audit/", audit.AuditLogView.as_view(), name="audit"),
    path("hr/audit/export.csv", audit.export_audit_log, name="audit-export"),
    path("hr/sign-on-groups/", hr.sso_groups, name="sso-groups"),
    path("hr/sign-on-groups/<int:pk>/remove/", hr.remove_sso_group, name="sso-group-remove"),
    path("hr/imports/", imports.import_upload, name="imports"),
    path("hr/imports/<int:pk>/", imports.import_job, name="import-job"),
    path("hr/imports/template/<slug:kind>.csv", imports.import_template, name="import-template"),
    path("notifications/", notifications.NotificationsView.as_view(), name="notifications"),
    path(
        "notifications/settings/", notifications.notification_settings, name="notification-settings"
    ),
    path(
        "notifications/read/", notifications.read_all_notifications, name="notifications-read-all"
    ),
    path("notifications/<int:pk>/read/", notifications.read_notification, name="notification-read"),
]
