from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "plaudit.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from allauth.mfa.signals import authentication_failed
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from .signals import (
            record_failed_second_factor,
            record_failed_sign_in,
            record_sign_in,
            record_sign_out,
        )

        user_logged_in.connect(record_sign_in, dispatch_uid="audit.sign_in")
        user_logged_out.connect(record_sign_out, dispatch_uid="audit.sign_out")
        user_login_failed.connect(record_failed_sign_in, dispatch_uid="audit.sign_in_failed")
        authentication_failed.connect(
            record_failed_second_factor, dispatch_uid="audit.second_factor_failed"
        )
