"""Reward codes at rest: encrypted with a key from the environment, unique by keyed hash.

``PLAUDIT_CODES_KEYS`` lists Fernet keys, newest first: the first encrypts, every
one decrypts (``MultiFernet``), so a key can be rotated without losing codes.
With none set, a key is derived from ``SECRET_KEY`` so Plaudit runs out of the
box; production sets its own (``manage.py check --deploy`` warns otherwise).
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

MAX_CODE_LENGTH = 200


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"plaudit.rewards.codes:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def codes_cipher() -> MultiFernet:
    return _fernet(tuple(settings.PLAUDIT["CODES_KEYS"]), settings.SECRET_KEY)


def encrypt_code(code: str) -> str:
    return codes_cipher().encrypt(code.encode()).decode()


def decrypt_code(ciphertext: str) -> str:
    """The code in the clear; only ever rendered to the person it was assigned to."""
    try:
        return codes_cipher().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:  # a key was removed before its codes were re-encrypted
        raise ValueError("This code cannot be decrypted with the configured keys.") from exc


def code_digest(code: str) -> str:
    """A keyed hash: equal codes collide, yet the digest alone reveals nothing."""
    return salted_hmac("plaudit.rewards.codes.digest", code, algorithm="sha256").hexdigest()


def rotate_ciphertext(ciphertext: str) -> str:
    """The same code encrypted with the newest key (``MultiFernet.rotate``)."""
    return codes_cipher().rotate(ciphertext.encode()).decode()
