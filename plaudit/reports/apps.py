from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "plaudit.reports"
    label = "reports"
    verbose_name = "Reports"
