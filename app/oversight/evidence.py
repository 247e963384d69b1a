"""Evidence links: every object a finding, a spot check or a figure points at opens somewhere.

A domain page that shows an object registers itself with ``detail_page``; any object
without one links to its history in the audit log, which always exists.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from app.audit.words import OBJECT_TYPES

#: What each kind of object is called: the audit log's words, one place for both.
LABELS = OBJECT_TYPES

DETAIL: dict[str, Callable[[int], str]] = {}
#: How a row without a name column is called (支出 → its payee and amount).
NAMERS: dict[str, Callable[[int, int | None], str | None]] = {}


def detail_page(object_type: str) -> Callable[[Callable[[int], str]], Callable[[int], str]]:
    def register(fn: Callable[[int], str]) -> Callable[[int], str]:
        DETAIL[object_type] = fn
        return fn

    return register


def label(object_type: str) -> str:
    return str(LABELS.get(object_type, object_type))


def namer(object_type: str):
    def register(fn: Callable[[int, int | None], str | None]):
        NAMERS[object_type] = fn
        return fn

    return register


def title(object_type: str, object_id: int | str) -> str:
    """``合同 GZ2026-0001`` or ``支出 福满多商贸有限公司 ¥5,200.00`` when the object can be named,
    else ``支出 #3``."""
    from flask import g

    from app.audit.present import name_of
    from app.oversight import links  # noqa: F401  (registers the namers)

    ident, tenant_id = int(object_id), g.get("tenant_id")
    name = NAMERS[object_type](ident, tenant_id) if object_type in NAMERS else name_of(
        object_type, ident, tenant_id)
    return f"{label(object_type)} {name}" if name else f"{label(object_type)} #{object_id}"


def link(object_type: str, object_id: int | str) -> str:
    from app.oversight import links  # noqa: F401  (registers the detail pages)

    if object_type in DETAIL:
        return DETAIL[object_type](int(object_id))
    return url_for("audit.log", object_type=object_type, object_id=object_id)
