from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "plaudit.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from . import signals, subscribers  # noqa: F401  (the cached feed; the live feed)
