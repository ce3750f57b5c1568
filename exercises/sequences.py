"""Sequence helpers answered from first principles (the concept tour's coding exercises)."""

from collections.abc import Iterable, Iterator
from typing import Any


def flatten(items: Iterable[Any]) -> Iterator[Any]:
    """Every non-list element of ``items``, however deeply lists nest, in reading order.

    Lists and tuples are opened; strings, dicts and other values are kept whole. An
    explicit stack of iterators instead of recursion means no ``RecursionError`` on
    deep nesting, and yielding keeps memory flat for long inputs.
    """
    stack: list[Iterator[Any]] = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list | tuple):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
