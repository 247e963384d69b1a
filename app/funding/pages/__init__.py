"""Helpers shared by the funding pages: the one commit-or-explain step every action takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask_login import current_user

from app import confirm
from app.db_commit import commit
from app.extensions import db
from app.funding.services import FundingError, parse_amount


def attempt(action: Callable[[], Any], success) -> tuple[bool, Any]:
    """Run one service call; commit and flash ``success``, or roll back and flash the refusal."""
    try:
        result = action()
    except FundingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return False, None
    commit()
    flash(success, "success")
    return True, result


def act(action: Callable[[], Any], success, back: str, ask: tuple[str, Any] | None = None):
    """A button: do it (or explain why not), then go back. With ``ask`` (a consequence's
    name and its object, ``app/confirm.py``) only once the person has said yes."""
    if ask is not None and (page := confirm.ask(*ask, back)) is not None:
        return page
    attempt(action, success)
    return redirect(back)


def amount_or_none(text: str | None) -> int | None:
    return parse_amount(text) if (text or "").strip() else None


def user():
    return current_user._get_current_object()
