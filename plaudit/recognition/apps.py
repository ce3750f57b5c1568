from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "plaudit.recognition"
    label = "recognition"
    verbose_name = "Recognition"
