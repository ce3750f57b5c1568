"""A text field stored encrypted (:mod:`plaudit.core.encryption`: Fernet, keys from
``PLAUDIT_CODES_KEYS``, derived from ``SECRET_KEY`` when none is set)."""

import logging
from typing import Any

from django.db import models

from plaudit.core import encryption

logger = logging.getLogger(__name__)


class EncryptedTextField(models.TextField):
    """Python sees the clear text; the database only ever holds the ciphertext.

    Blank stays blank (nothing to hide). A ciphertext no configured key opens (its key
    was dropped too soon) reads as blank and is logged, so one lost secret does not
    take the admin or a whole platform down: the operator enters it again.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        try:
            return encryption.decrypt(value)
        except encryption.Undecryptable:
            logger.warning("chat secret cannot be decrypted with the configured keys")
            return ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encryption.encrypt(str(value))
