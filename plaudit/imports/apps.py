from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "plaudit.imports"
    label = "imports"
    verbose_name = "Imports and exports"

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (the uploader's live progress)
