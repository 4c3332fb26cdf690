"""Building blocks shared by the hand-written rules that read names, sentences and quotes.

The rules are regexes and word lists kept readable in review; these helpers turn that readable
form into what matching needs (a trie-shaped alternation, a set, a letter class ``re`` lacks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def _trie_regex(words: Iterable[str]) -> str:
    """Alternation shaped as a character trie: the engine tests one branch per character
    instead of every alias at every position, and greedy optional tails give longest match."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


def word_set(text: str) -> frozenset[str]:
    """Word lists are kept as prose-like strings so they stay readable in review."""
    return frozenset(text.split())


def _char_class(predicate: Callable[[str], bool], limit: int = 0x0530) -> str:
    """Regex class of the Latin/Greek/Cyrillic letters passing ``predicate``: ``re`` has no
    \\p{Lu}, and names like "Šakalienė" must still count as capitalised."""
    chars = [chr(c) for c in range(limit) if predicate(chr(c))]
    out: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out.append(re.escape(chars[i]) + (f"-{re.escape(chars[j])}" if j > i else ""))
        i = j + 1
    return "".join(out)


UPPERCASE = _char_class(str.isupper)
