"""``/api/v1/t/<tenant>/evaluations/orgs/<org_id>/latest``: the organization's last
evaluation tier, for the award decision and for integrations."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import login_required

from app.api import api_blueprint
from app.evaluation import labels, services
from app.orgs.models import Organization
from app.permissions import require
from app.tenancy.scoping import get_or_404

blp = api_blueprint("api_evaluation", __name__, "/t/<tenant>/evaluations",
                    "Performance evaluations")


class LatestEvaluationSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    evaluation_id = ma.fields.Integer(allow_none=True)
    tier = ma.fields.String(allow_none=True, metadata={"description": "excellent/good/fair/poor"})
    tier_label = ma.fields.String(allow_none=True, metadata={"description": "优/良/中/差"})
    total = ma.fields.Decimal(allow_none=True, as_string=True)
    mode = ma.fields.String(allow_none=True)
    period = ma.fields.String(allow_none=True)
    contract_id = ma.fields.Integer(allow_none=True)
    finalized_at = ma.fields.DateTime(allow_none=True)


def latest_summary(org: Organization) -> dict:
    found = services.latest_for_org(org.tenant_id, org.id)
    if found is None:
        return {"org_id": org.id, "evaluation_id": None, "tier": None, "tier_label": None,
                "total": None, "mode": None, "period": None, "contract_id": None,
                "finalized_at": None}
    return {"org_id": org.id, "evaluation_id": found.id, "tier": found.tier,
            "tier_label": str(labels.TIER_SHORT[found.tier]), "total": found.total,
            "mode": found.mode, "period": found.period, "contract_id": found.contract_id,
            "finalized_at": found.finalized_at}


@blp.route("/orgs/<int:org_id>/latest")
class LatestEvaluation(MethodView):
    decorators = [login_required]

    @blp.response(200, LatestEvaluationSchema)
    def get(self, org_id: int):
        org = get_or_404(Organization, org_id)
        require("evaluation.view", org)
        return latest_summary(org)


def blueprints():
    return [blp]
