"""A small in-process cache with expiry, for what the public marketplace shows everyone:
result pages, and whole pages for anonymous visitors. (The search form's choices are kept
by ``app.marketplace.choices``, which drops them when they change.)

Each web process keeps its own; entries live ``MARKETPLACE_CACHE_SECONDS`` (default 30,
0 turns caching off; off under tests unless set). Places left on a result card may thus be
that many seconds old; a project's own page, where people sign up, is always live.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

MISSING = object()


class TTLCache:
    def __init__(self, size: int = 1024):
        self.size = size
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return MISSING
            if item[0] < time.monotonic():
                del self._data[key]
                return MISSING
            self._data.move_to_end(key)
            return item[1]

    def put(self, key: Hashable, value: Any, seconds: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + seconds, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def seconds() -> float:
    config = current_app.config
    return float(config.get("MARKETPLACE_CACHE_SECONDS", 0 if config.get("TESTING") else 30))


def store() -> TTLCache:
    return current_app.extensions.setdefault("gz_marketplace_cache", TTLCache())


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its value from the last ``seconds()``."""
    ttl = seconds()
    if ttl <= 0:
        return compute()
    value = store().get(key)
    if value is MISSING:
        value = compute()
        store().put(key, value, ttl)
    return value
