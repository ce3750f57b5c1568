"""A path converter: ``<decision:decision>`` matches only ``approve`` or ``reject``.

Anything else never reaches the view; the URL resolver answers 404 itself.
"""


class DecisionConverter:
    regex = "approve|reject"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
