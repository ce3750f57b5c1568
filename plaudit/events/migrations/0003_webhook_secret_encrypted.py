"""Webhook secrets are stored encrypted (plaudit.core.encryption), no longer in the clear."""

from typing import Any

from django.db import migrations, models

from plaudit.core import encryption


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    endpoints = apps.get_model("events", "WebhookEndpoint")
    for endpoint in endpoints.objects.using(schema_editor.connection.alias).order_by("pk"):
        endpoint.secret_encrypted = encryption.encrypt(endpoint.secret)
        endpoint.save(update_fields=["secret_encrypted"])


def decrypt_secrets(apps: Any, schema_editor: Any) -> None:
    endpoints = apps.get_model("events", "WebhookEndpoint")
    for endpoint in endpoints.objects.using(schema_editor.connection.alias).order_by("pk"):
        endpoint.secret = encryption.decrypt(endpoint.secret_encrypted)
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("events", "0002_notifications_webhooks")]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_encrypted",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The shared secret for Plaudit-Signature, encrypted.",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RemoveField(model_name="webhookendpoint", name="secret"),
    ]
