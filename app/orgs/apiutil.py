"""Helpers the organization, project and marketplace APIs share."""

from __future__ import annotations

import functools
import re

from app.errors import json_error
from app.extensions import db
from app.permissions import require
from app.tenancy.scoping import get_or_404


def refused(exc: Exception):
    """A service's refusal: nothing saved, its message in the user's language."""
    db.session.rollback()
    return json_error(422, str(exc))


def guard(model, action: str, arg: str | None = None):
    """Load the object named in the URL and check ``action`` on it *before* the request body
    is parsed: a stranger gets 403/404, never a validation error that would tell them the
    object exists. The view receives the object instead of its id
    (``project_id`` → ``project``)."""
    arg = arg or re.sub(r"(?<!^)([A-Z])", r"_\1", model.__name__).lower() + "_id"

    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            obj = get_or_404(model, kwargs.pop(arg))
            require(action, obj)
            kwargs[arg.removesuffix("_id")] = obj
            return view(*args, **kwargs)

        return guarded

    return decorate
