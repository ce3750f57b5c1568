"""``django.contrib.admin`` with Plaudit's role-checking site as the default site."""

from django.contrib.admin.apps import AdminConfig


class PlauditAdminConfig(AdminConfig):
    default_site = "plaudit.core.admin_site.PlauditAdminSite"
