"""The concept tour's coding exercises, answered from first principles and tested.

Not part of the product: nothing under ``plaudit/`` imports them, and the container
image does not ship them. ``docs/concepts.md`` links each answer here; the tests are
in ``tests/exercises/``.
"""
