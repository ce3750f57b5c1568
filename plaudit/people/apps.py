from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "plaudit.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the authentication cache true)
