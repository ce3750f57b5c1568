from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "plaudit.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        from . import signals, subscribers  # noqa: F401  (the cached feed; the live feed)
