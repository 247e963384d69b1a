"""``/api/v1/t/<tenant>/funding/…``: the funding flow for integrations and tests, under the same
permission rules as the pages. A refusal of the rules answers 422 with the user's message
(``{"code": 422, "status": …, "message": "公示期尚未结束。"}``); an amount, percentage or date
the parser refuses answers 422 with its message under the field in ``errors``. Nothing is then
recorded. Routes are in ``api_grants``, ``api_spending`` and ``api_public``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.funding.services import FundingError
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_funding", __name__, "/t/<tenant>/funding",
                    "Public funding: funds, calls, awards under notice, contracts, payments, "
                    "expenditures with receipts, incentives")


@blp.errorhandler(FundingError)
def _refused(exc: FundingError):
    db.session.rollback()
    return json_error(422, str(exc))


def guard(action: str | None, model: Any = None, arg: str | None = None, *,
          login: bool = True) -> Callable:
    """Sign-in, tenant-scoped loading and the permission check, before any body is parsed.

    With ``model``, the URL's ``arg`` (``contract_id``) is loaded (404 if not this tenant's)
    and passed on as ``contract``; ``action`` is required on it, else on the tenant.
    """
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            if login and not current_user.is_authenticated:
                abort(401)
            obj = current_tenant()
            if model is not None:
                obj = get_or_404(model, kwargs.pop(arg))
                kwargs[arg.removesuffix("_id")] = obj
            if action:
                require(action, obj)
            return fn(*args, **kwargs)

        return inner

    return wrap


def done(result: Any) -> Any:
    """Commit the service call's work and hand its result to the response schema."""
    commit()
    return result


def blueprints():
    from app.funding import (  # noqa: F401  (routes)
        api_delivery,
        api_grants,
        api_public,
        api_spending,
    )

    return [blp]
