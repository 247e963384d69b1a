"""``/api/v1/me/tokens``: my API tokens, listed and revoked (new ones come from the account
page, where the secret is shown once)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.auth import services
from app.db import utcnow
from app.db_commit import commit

blp = api_blueprint("api_tokens", __name__, "/me", "My API tokens")


class TokenSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    expires_at = ma.fields.AwareDateTime(required=True)
    last_used_at = ma.fields.AwareDateTime(allow_none=True)
    status = ma.fields.Function(
        lambda token: "active" if token.is_live(utcnow()) else "expired",
        metadata={"description": "active, or expired (revoked tokens are not listed)"})
    scope = ma.fields.Constant(
        "account", metadata={"description": "every token acts with all of its owner's roles"})


@blp.route("/tokens")
class MyTokens(MethodView):
    decorators = [login_required]

    @blp.response(200, TokenSchema(many=True))
    def get(self):
        """My tokens not revoked, newest first. The secrets are never shown again."""
        return services.tokens_of(current_user)


@blp.route("/tokens/<int:token_id>")
class MyToken(MethodView):
    decorators = [login_required]

    @blp.response(204)
    def delete(self, token_id: int):
        """Revoke one of my tokens (this one too, if it is the token making the call): every
        later use of it is 401."""
        token = services.own_token(current_user, token_id)
        if token is None:
            abort(404)
        services.revoke_token(token)
        commit()


def blueprints():
    return [blp]
