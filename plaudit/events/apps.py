from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "plaudit.events"
    label = "events"
    verbose_name = _("Events and notifications")

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (connect the consumers)
