import sys

from exercises.sequences import flatten


def test_flatten_opens_nested_lists_and_tuples_in_reading_order():
    assert list(flatten([1, [2, [3, (4, 5)], []], 6, [[[7]]]])) == [1, 2, 3, 4, 5, 6, 7]


def test_flatten_keeps_strings_and_dicts_whole():
    assert list(flatten(["ab", [{"user": 1}], [["cd"]]])) == ["ab", {"user": 1}, "cd"]


def test_flatten_of_nothing_is_nothing():
    assert list(flatten([])) == []
    assert list(flatten([[], [[]]])) == []


def test_flatten_handles_nesting_deeper_than_the_recursion_limit():
    deep: list = [1]
    for _ in range(sys.getrecursionlimit() * 2):
        deep = [deep]
    assert list(flatten([0, deep, 2])) == [0, 1, 2]
