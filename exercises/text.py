"""String helpers answered from first principles (the concept tour's coding exercises).

Plaudit's own code reverses with ``text[::-1]``; these show the algorithms behind it
without built-in shortcuts, and are tested like any other code.
"""


def reverse_text(text: str) -> str:
    """``text`` backwards, built by walking indexes from the end (no slicing, no ``reversed``).

    Characters are collected in a list and joined once, so it stays linear in the length.
    """
    characters: list[str] = []
    index = len(text) - 1
    while index >= 0:
        characters.append(text[index])
        index -= 1
    return "".join(characters)


def is_palindrome(text: str) -> bool:
    """Whether ``text`` reads the same both ways, ignoring case and anything but letters and digits.

    Two indexes walk towards the middle, skipping punctuation and spaces, so
    "A man, a plan, a canal: Panama" is one; an empty string is one too.
    """
    left, right = 0, len(text) - 1
    while left < right:
        if not text[left].isalnum():
            left += 1
        elif not text[right].isalnum():
            right -= 1
        elif text[left].casefold() != text[right].casefold():
            return False
        else:
            left, right = left + 1, right - 1
    return True
