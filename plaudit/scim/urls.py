"""``/scim/v2/`` (RFC 7644 §3.2): discovery, Users and Groups."""

from django.urls import path, re_path

from . import views

app_name = "scim"

urlpatterns = [
    path("", views.NotFoundView.as_view(), name="root"),
    path(".search", views.RootSearchView.as_view()),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view()),
    path("ResourceTypes", views.ResourceTypesView.as_view()),
    path("ResourceTypes/<str:id>", views.ResourceTypesView.as_view()),
    path("Schemas", views.SchemasView.as_view()),
    path("Schemas/<str:id>", views.SchemasView.as_view()),
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/.search", views.UserSearchView.as_view()),
    path("Users/<str:id>", views.UserView.as_view(), name="user"),
    path("Groups", views.GroupsView.as_view(), name="groups"),
    path("Groups/.search", views.GroupSearchView.as_view()),
    path("Groups/<str:id>", views.GroupView.as_view(), name="group"),
    re_path(r"^(?P<rest>.*)$", views.NotFoundView.as_view()),
]
