"""Reading the docs' Markdown as the link tests need it: links, headings and their slugs.

Only what the docs use: inline links ``[text](target)``, ATX headings, fenced code
blocks and code spans (links inside code are examples, not links).
"""

import re
from collections import Counter

LINK = re.compile(r"\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
CODE_LINK_TEXT = re.compile(r"\[`([^`\]\n]*)`\]")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")


def without_code(markdown: str) -> str:
    """The prose: fences and code spans gone, but a link named in code, [`name`](...),
    kept as [name](...) so its name can still be read."""
    return CODE_SPAN.sub("", CODE_LINK_TEXT.sub(r"[\1]", FENCE.sub("", markdown)))


def links(markdown: str) -> list[tuple[str, str]]:
    """(text, target) of every inline link outside code, in order."""
    return LINK.findall(without_code(markdown))


def relative_links(markdown: str) -> list[str]:
    """Targets of links that point into the repository or into the page itself (not URLs)."""
    return [target for _, target in links(markdown) if target and not URL_SCHEME.match(target)]


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading outside fenced code blocks."""
    return [
        (len(match.group(1)), match.group(2).strip())
        for match in HEADING.finditer(FENCE.sub("", markdown))
    ]


def github_slug(heading: str) -> str:
    """The id GitHub gives a heading: its rendered text lower-cased, punctuation and
    emoji dropped, each space a hyphen (so "A / B" becomes "a--b")."""
    text = LINK.sub(r"\1", heading).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def heading_anchors(markdown: str) -> set[str]:
    """Every heading's slug; a repeated heading's later copies get -1, -2... as on GitHub."""
    seen: Counter[str] = Counter()
    anchors = set()
    for _, text in headings(markdown):
        slug = github_slug(text)
        anchors.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return anchors
