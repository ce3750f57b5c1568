from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "plaudit.imports"
    label = "imports"
    verbose_name = _("Imports and exports")

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (the uploader's live progress)
