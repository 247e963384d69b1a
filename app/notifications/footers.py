"""What the text-message and email copies of a kind of message end with, beyond the inbox's
words: a domain registers ``@footer(kind)`` in its ``inbox.py`` (the stop link of a community
notice). The footer is kept whole when a text message is cut to length."""

from __future__ import annotations

from collections.abc import Callable

FOOTERS: dict[str, Callable] = {}


def footer(kind: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        FOOTERS[kind] = fn
        return fn

    return register


def of(note, user) -> str:
    """The footer of ``note``'s copies, in ``user``'s language ("" for most kinds)."""
    make = FOOTERS.get(note.kind or "")
    if make is None:
        return ""
    from flask_babel import force_locale

    with force_locale(user.locale or "zh_CN"):
        return str(make(note, user))


def text_message(note, user, most: int) -> str:
    """The text of a message's text-message copy: title and body on one line, cut to ``most``
    characters with the footer kept whole."""
    words = " ".join(f"{note.title} {note.body}".split())
    end = of(note, user)
    if not end:
        return words[:most]
    room = most - len(end) - 1
    if len(words) > room:
        words = words[:max(room - 1, 0)] + "…"
    return f"{words} {end}"
