from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages for employees, managers and HR (templates, forms, htmx)."""

    name = "plaudit.web"
    label = "web"
    verbose_name = "Web app"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from .auth import refuse_locked_out_api_sign_in

        user_locked_out.connect(refuse_locked_out_api_sign_in, dispatch_uid="web.api_lockout")
