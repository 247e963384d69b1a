"""What the marketplace searches in a project, kept beside the project: its text folded to
one form, and the codes of the characters and character pairs in it that the index looks up.

Chinese has no spaces between words, so search matches substrings. Text and queries are
folded alike: NFKC (full-width Ａ and （）, ideographic spaces, ① → 1), Latin lower case,
control characters as spaces. On PostgreSQL a GIN index over ``search_grams`` finds the
projects holding every character (for a one-character term) or every pair (longer terms) of
a query, and every term is also looked for in ``search_text`` as a plain substring (the
query's words are bound parameters; only the codes, integers, are written into the SQL,
so the plan is made for them).
"""

from __future__ import annotations

import unicodedata

#: The source fields, in the order ``search_text`` joins them.
FIELDS = ("name", "theme", "highlights", "content")
#: Pair codes start above every single-character code.
_PAIR_BASE = 0x110000


def normalise(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in folded)


def search_text(name: str | None, theme: str | None, highlights: str | None,
                content: str | None) -> str:
    """The folded fields joined by spaces: a term never spans two fields (terms hold no space)."""
    return " ".join(normalise(part).strip() for part in (name, theme, highlights, content) if part)


def _code(pair: str) -> int:
    if len(pair) == 1:
        return ord(pair)
    return _PAIR_BASE + ord(pair[0]) * _PAIR_BASE + ord(pair[1])


def grams(text: str) -> list[int]:
    """The codes of every character and every pair of neighbouring characters of folded
    ``text``, whitespace aside; sorted, each once."""
    codes = {ord(ch) for ch in text if not ch.isspace()}
    codes.update(_code(text[i:i + 2]) for i in range(len(text) - 1)
                 if not (text[i].isspace() or text[i + 1].isspace()))
    return sorted(codes)


def term_grams(term: str) -> list[int]:
    """What a project whose text holds the folded ``term`` holds: its character, or its pairs."""
    if len(term) == 1:
        return [ord(term)]
    return sorted({_code(term[i:i + 2]) for i in range(len(term) - 1)})


def terms(q: str) -> list[str]:
    """The folded words of a query, each once; a word inside another adds nothing."""
    words = list(dict.fromkeys(normalise(q).split()))
    return [w for w in words if not any(w != other and w in other for other in words)]


def values(fields: dict, postgres: bool) -> dict:
    """``search_name``, ``search_text`` and ``search_grams`` for a project's ``fields``
    (a mapping with the keys of ``FIELDS``). SQLite scans ``search_text`` and keeps no codes."""
    text = search_text(*(fields.get(key) for key in FIELDS))
    return {"search_name": normalise(fields.get("name")).strip(), "search_text": text,
            "search_grams": grams(text) if postgres else []}
