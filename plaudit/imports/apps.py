from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "plaudit.imports"
    label = "imports"
    verbose_name = "Imports and exports"
