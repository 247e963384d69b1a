"""``/api/v1/t/<tenant>/needs/<id>/contact``: the resident and the volunteer of a wish taken on
in person see what each lets the other see, and show or stop showing their own mobile
number. Same rule as the page (``need.contact``): nobody else, not even to read."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app.db_commit import commit
from app.needs import contact
from app.needs.api import _refused, blp
from app.needs.models import Need
from app.needs.services import NeedError
from app.orgs.apiutil import guard


class WishContactSchema(ma.Schema):
    side = ma.fields.String(required=True, metadata={"description": "resident/volunteer"})
    showing_mine = ma.fields.Boolean(required=True)
    other_phone = ma.fields.String(
        allow_none=True, metadata={"description": "the other side's mobile, once they let you"})


class WishContactInSchema(ma.Schema):
    show = ma.fields.Boolean(required=True, metadata={"description": "show my mobile or stop"})


def _out(need: Need) -> dict:
    which = contact.side(need, current_user)
    shown = contact.shown_to(need, current_user)
    return {"side": which, "showing_mine": contact.sharing(need, which),
            "other_phone": shown[1] if shown else None}


@blp.route("/<int:need_id>/contact")
class Contact(MethodView):
    decorators = [guard(Need, "need.contact"), login_required]

    @blp.response(200, WishContactSchema)
    def get(self, need):
        return _out(need)

    @blp.arguments(WishContactInSchema)
    @blp.response(200, WishContactSchema)
    def post(self, data, need):
        """Show my mobile number to the other side of the wish, or stop."""
        try:
            if data["show"]:
                contact.share(need, current_user)
            else:
                contact.withdraw(need, current_user)
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)
