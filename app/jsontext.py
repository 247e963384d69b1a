"""JSON text that may be hostile: its nesting measured without parsing it, and a reader for
stored JSON that never fails.

Python's parser recurses (ten thousand nested arrays exhaust the stack) and refuses
numbers of more than 4,300 digits; SQLite keeps whatever text it is given. The request
checks refuse such bodies before they are parsed; a row written another way (a rogue or
old writer) still reads, so it cannot stop what reads it, the audit log's sealer above all.
"""

from __future__ import annotations

import hashlib
import json
import re
from itertools import accumulate
from typing import Any

#: A JSON string, or an unterminated one running to the end (so that a scan for strings
#: never starts again inside one: linear time whatever the text).
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}

#: Deeper than anything the app writes (the audit log cuts values at 20 levels).
STORED_DEPTH = 100


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests arrays and objects more than ``limit`` levels deep."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, map(ord, brackets))), default=0) > limit


def load_stored(stored: str | bytes) -> Any:
    """A JSON column's value as read from the database (the engine's ``json_deserializer``).

    Text the parser cannot read (nested past ``STORED_DEPTH``, a number past the digit
    limit, not JSON at all) reads as a marker holding the text's SHA-256: the same text
    always reads the same, and an edit to it still shows.
    """
    text = stored if isinstance(stored, str) else bytes(stored).decode("utf-8")
    if not nested_deeper_than(text, STORED_DEPTH):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return {"unreadable_json": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()}
