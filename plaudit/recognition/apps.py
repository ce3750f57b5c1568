from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "plaudit.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the cached feed true)
