from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plaudit.core"
    label = "core"
    verbose_name = "Core"
