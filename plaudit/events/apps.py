from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "plaudit.events"
    label = "events"
    verbose_name = "Events and notifications"

    def ready(self) -> None:
        from . import subscribers  # noqa: F401  (connect the consumers)
