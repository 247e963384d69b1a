"""API: the district's funding and incentive rules in force and their history (public, as on
the 资金和激励规则 page); for the bureau, every rule with the changes waiting."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import login_required

from app import fields
from app.api import api_blueprint
from app.parsing import local_today
from app.permissions import require
from app.rules import services
from app.rules.catalogue import CATALOGUE, PUBLIC_RULES, words
from app.tenancy.scoping import current_tenant

blp = api_blueprint("api_rules", __name__, "/t/<tenant>/rules", "District rules")


class RuleOut(ma.Schema):
    key = ma.fields.String()
    name = ma.fields.String()
    explanation = ma.fields.String()
    money_rule = ma.fields.Boolean(metadata={"description": "takes a second officer's approval"})
    value = ma.fields.Raw(metadata={"description": "as stored: amounts in fen"})
    in_words = ma.fields.String()


class ChangeOut(ma.Schema):
    id = ma.fields.Integer()
    rule = ma.fields.String()
    before = ma.fields.Raw()
    after = ma.fields.Raw()
    effective_from = fields.Date()
    status = ma.fields.String()


class RulesOut(ma.Schema):
    on = fields.Date()
    rules = ma.fields.List(ma.fields.Nested(RuleOut))
    history = ma.fields.List(ma.fields.Nested(ChangeOut))
    pending = ma.fields.List(ma.fields.Nested(ChangeOut))


def _rules(tenant, keys, on) -> list[dict]:
    return [{"key": key, "name": str(CATALOGUE[key].name),
             "explanation": str(CATALOGUE[key].explanation), "money_rule": CATALOGUE[key].money,
             "value": tenant.setting(key, on), "in_words": words(CATALOGUE[key],
                                                                  tenant.setting(key, on))}
            for key in keys]


@blp.route("/")
class PublicRules(MethodView):
    @blp.response(200, RulesOut)
    def get(self):
        """The funding and incentive rules in force today and their changes (no sign-in)."""
        tenant, today = current_tenant(), local_today()
        return {"on": today, "rules": _rules(tenant, PUBLIC_RULES, today),
                "history": services.history(tenant, PUBLIC_RULES), "pending": []}


@blp.route("/all")
class AllRules(MethodView):
    decorators = [login_required]

    @blp.response(200, RulesOut)
    def get(self):
        """Every rule in force today, every approved change and the changes waiting (the
        bureau and auditors)."""
        tenant, today = current_tenant(), local_today()
        require("rules.view", tenant)
        return {"on": today, "rules": _rules(tenant, list(CATALOGUE), today),
                "history": services.history(tenant), "pending": services.pending(tenant)}


def blueprints():
    return [blp]
