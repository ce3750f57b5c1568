from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "plaudit.people"
    label = "people"
    verbose_name = "People"
