"""What a message asking for something is about, and whether it is already done.

A domain declares each kind of request it sends (``expenditure.org_approval``…) in its
``inbox.py`` with ``@subject(kind, …)``: a function that takes the kind, the ids of the
objects the messages name and the reader, and answers, in one query, what each is (a short
label with a link) and, when someone has already acted on it, who did what ("已由李科长审批",
"已由您审批"). ``summary`` words a line that merges several waiting requests of a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subject:
    label: str
    link: str | None = None
    #: Said when the request is settled ("已由李科长审批"), None while it still waits.
    done: str | None = None


Resolver = Callable[[str, list[int], int], dict[int, Subject]]
RESOLVERS: dict[str, Resolver] = {}
#: kind → a lazy string with ``%(n)s``: the title of a line merging n waiting requests.
SUMMARIES: dict[str, Any] = {}


def subject(*kinds: str, summary: dict[str, Any] | None = None
            ) -> Callable[[Resolver], Resolver]:
    def register(fn: Resolver) -> Resolver:
        for kind in kinds:
            RESOLVERS[kind] = fn
        SUMMARIES.update(summary or {})
        return fn

    return register


def names(user_ids, viewer_id: int | None = None) -> dict[int, str]:
    """Display names of the people who acted, in one query; the reader is "you" (您)."""
    from flask_babel import gettext as _
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    wanted = {i for i in user_ids if i is not None}
    found = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all()
                 ) if wanted else {}
    if viewer_id in found:
        found[viewer_id] = _("you")
    return found


def resolve(pairs: Iterable[tuple[str, int]], viewer_id: int) -> dict[tuple[str, int], Subject]:
    """``(kind, id)`` → its Subject, as ``viewer_id`` reads it: one call per kind present."""
    wanted: dict[str, set[int]] = {}
    for kind, ident in pairs:
        if kind in RESOLVERS:
            wanted.setdefault(kind, set()).add(ident)
    found: dict[tuple[str, int], Subject] = {}
    for kind, ids in wanted.items():
        for ident, item in RESOLVERS[kind](kind, sorted(ids), viewer_id).items():
            found[(kind, ident)] = item
    return found
