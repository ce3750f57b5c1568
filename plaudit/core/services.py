"""Helpers every app's services share."""

from collections.abc import Iterable


def check_fields(given: Iterable[str], allowed: Iterable[str], *, kind: str) -> None:
    """Refuse keyword arguments a service does not accept: a programming error, not bad input."""
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {kind} fields: {sorted(unknown)}")
