from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "plaudit.events"
    label = "events"
    verbose_name = "Events and notifications"
