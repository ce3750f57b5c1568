"""Reward codes at rest: encrypted (:mod:`plaudit.core.encryption`), unique by keyed hash."""

from django.utils.crypto import salted_hmac

from plaudit.core import encryption

MAX_CODE_LENGTH = 200


def encrypt_code(code: str) -> str:
    return encryption.encrypt(code)


def decrypt_code(ciphertext: str) -> str:
    """The code in the clear; only ever rendered to the person it was assigned to.

    Raises ``ValueError`` (:class:`~plaudit.core.encryption.Undecryptable`) when a key
    was removed before its codes were re-encrypted.
    """
    return encryption.decrypt(ciphertext)


def code_digest(code: str) -> str:
    """A keyed hash: equal codes collide, yet the digest alone reveals nothing."""
    return salted_hmac("plaudit.rewards.codes.digest", code, algorithm="sha256").hexdigest()


def rotate_ciphertext(ciphertext: str) -> str:
    """The same code encrypted with the newest key."""
    return encryption.rotate(ciphertext)
