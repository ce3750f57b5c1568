"""Secrets at rest: reward codes and webhook secrets, encrypted with keys from the environment.

``PLAUDIT_CODES_KEYS`` lists Fernet keys, newest first: the first encrypts, every
one decrypts (``MultiFernet``), so a key can be rotated without losing anything
(``manage.py rotate_reward_codes`` re-encrypts both with the newest). With none
set, a key is derived from ``SECRET_KEY`` so Plaudit runs out of the box;
production must set its own (the production settings refuse to start without).
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class Undecryptable(ValueError):
    """None of the configured keys opens this ciphertext: its key was dropped too soon."""

    def __init__(self) -> None:
        super().__init__("This value cannot be decrypted with the configured keys.")


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        # The derivation's label predates webhook secrets; changing it would lose every code.
        derived = hashlib.sha256(f"plaudit.rewards.codes:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.PLAUDIT["CODES_KEYS"]), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _cipher().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise Undecryptable() from exc


def rotate(ciphertext: str) -> str:
    """The same text encrypted with the newest key (``MultiFernet.rotate``)."""
    try:
        return _cipher().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise Undecryptable() from exc
