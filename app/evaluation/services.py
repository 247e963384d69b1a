"""Templates, scoring, tiers and the two-way feedback.

Indicators are scored from 0 to their weight in steps of 0.5; the total is out of 100 and
the tier comes from the template's thresholds (default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from app.auth.models import User
from app.db import utcnow
from app.evaluation.models import (
    Dimension,
    EvalStatus,
    Evaluation,
    EvaluationFeedback,
    EvaluationTemplate,
    Mode,
    Tier,
)
from app.extensions import db
from app.money import MoneyError, plain_decimal
from app.orgs.models import Organization
from app.tenancy.models import Tenant


class EvaluationError(ValueError):
    pass


DEFAULT_TIERS = {Tier.EXCELLENT.value: 90, Tier.GOOD.value: 80, Tier.FAIR.value: 60}
DEFAULT_INDICATORS = [
    ("economy", "预算执行率与资金使用合规", 10), ("economy", "每服务小时成本合理", 10),
    ("efficiency", "按计划进度完成服务", 10), ("efficiency", "服务记录在期限内完成", 10),
    ("effectiveness", "合同约定服务数量完成", 15), ("effectiveness", "预期成效达成", 15),
    ("equity", "目标群体覆盖", 10),
    ("satisfaction", "居民满意度", 20),
]
DEFAULT_QUESTIONS = [("clarity", "服务要求与考核标准清晰"), ("payment", "资金按合同及时拨付"),
                     ("fairness", "评价过程公正并说明理由"), ("response", "民政局回应问题及时")]


def default_template(tenant: Tenant, user: User | None = None) -> EvaluationTemplate:
    """The tenant's active template; the standard 100-point one is created on first use."""
    found = db.session.scalar(select(EvaluationTemplate).where(
        EvaluationTemplate.tenant_id == tenant.id, EvaluationTemplate.active.is_(True))
        .order_by(EvaluationTemplate.id.desc()).limit(1))
    if found:
        return found
    template = EvaluationTemplate(
        tenant_id=tenant.id, name="政府购买服务绩效评价（百分制）",
        indicators=[{"code": f"I{n}", "dimension": d, "name": name, "weight": w}
                    for n, (d, name, w) in enumerate(DEFAULT_INDICATORS, start=1)],
        tiers=dict(DEFAULT_TIERS),
        process_questions=[{"code": c, "name": q} for c, q in DEFAULT_QUESTIONS],
        created_by_id=user.id if user else None)
    db.session.add(template)
    db.session.flush()
    return template


def dimension_of(word: str) -> str | None:
    """The dimension a line names: its word in either language (经济性, Economy) or its code."""
    from app.evaluation.labels import DIMENSION

    for code, label in DIMENSION.items():
        if word.lower() in (code, str(label).lower(), label._args[0].lower()):
            return code
    return None


def parse_indicators(text: str) -> list[dict]:
    """Lines ``dimension | name | weight``; weights must add up to 100."""
    dims = {d.value for d in Dimension}
    out = []
    for n, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3:
            parts[0] = dimension_of(parts[0]) or parts[0]
        if len(parts) != 3 or parts[0] not in dims or not parts[1]:
            raise EvaluationError(_l("Line %(n)s should read: dimension | indicator | weight.", n=n))
        try:
            weight = int(parts[2])
        except ValueError as exc:
            raise EvaluationError(_l("Line %(n)s: the weight is a whole number.", n=n)) from exc
        if weight <= 0:
            raise EvaluationError(_l("Line %(n)s: the weight is a whole number.", n=n))
        out.append({"code": f"I{n}", "dimension": parts[0], "name": parts[1][:120], "weight": weight})
    if sum(i["weight"] for i in out) != 100:
        raise EvaluationError(_l("The weights add up to %(sum)s; they must add up to 100.",
                                 sum=sum(i["weight"] for i in out)))
    missing = dims - {i["dimension"] for i in out}
    if missing:
        raise EvaluationError(_l("Every dimension needs at least one indicator (economy, efficiency, effectiveness, equity, resident satisfaction)."))
    return out


def save_template(tenant: Tenant, user: User, name: str, indicators_text: str,
                  tiers: dict[str, int], template: EvaluationTemplate | None = None
                  ) -> EvaluationTemplate:
    indicators = parse_indicators(indicators_text)
    if not (100 >= tiers["excellent"] > tiers["good"] > tiers["fair"] > 0):
        raise EvaluationError(_l("Tier thresholds must fall: 优 above 良 above 中, all between 1 and 100."))
    if template is None:
        base = default_template(tenant, user)
        template = EvaluationTemplate(tenant_id=tenant.id, created_by_id=user.id,
                                      process_questions=list(base.process_questions))
        db.session.add(template)
        base.active = False
    template.name, template.indicators, template.tiers = name.strip()[:120], indicators, dict(tiers)
    template.active = True
    db.session.flush()
    return template


def tier_for(total_tenths: int, tiers: dict) -> str:
    for tier in (Tier.EXCELLENT, Tier.GOOD, Tier.FAIR):
        if total_tenths >= int(tiers[tier.value]) * 10:
            return tier.value
    return Tier.POOR.value


def start(tenant: Tenant, user: User, org: Organization, mode: str, period: str,
          evaluator_name: str = "", contract_id: int | None = None) -> Evaluation:
    if mode not in set(Mode):
        raise EvaluationError(_l("Choose who evaluates: self, department or third party."))
    if not period.strip():
        raise EvaluationError(_l("Name the period evaluated, for example 2026年度."))
    if mode == Mode.THIRD_PARTY and not evaluator_name.strip():
        raise EvaluationError(_l("Name the third-party evaluator."))
    if contract_id is not None:
        from app.funding.models import Contract

        contract = db.session.get(Contract, contract_id)
        if contract is None or contract.tenant_id != tenant.id or contract.org_id != org.id:
            raise EvaluationError(_l("Choose a contract of this organization."))
    template = default_template(tenant, user)
    evaluation = Evaluation(
        tenant_id=tenant.id, org_id=org.id, template_id=template.id, contract_id=contract_id,
        mode=mode, period=period.strip()[:40], evaluator_name=evaluator_name.strip()[:120],
        indicators=list(template.indicators), tiers=dict(template.tiers), scores={}, notes={},
        created_by_id=user.id)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def score(evaluation: Evaluation, values: dict[str, str], notes: dict[str, str],
          comment: str) -> Evaluation:
    """Record indicator scores (text like "8.5") and notes on a draft."""
    if evaluation.is_final:
        raise EvaluationError(_l("This evaluation is final and can no longer change."))
    scores = {}
    for indicator in evaluation.indicators:
        raw = (values.get(indicator["code"]) or "").strip()
        if raw == "":
            continue
        steps = _l("“%(name)s”: the score is between 0 and %(max)s, in steps of 0.5.",
                   name=indicator["name"], max=indicator["weight"])
        try:
            points = plain_decimal(raw, _l("“%(name)s”: write a number of points.",
                                           name=indicator["name"]), steps, 3)
        except MoneyError as exc:
            raise EvaluationError(*exc.args) from None
        if not 0 <= points <= indicator["weight"] or (points * 2) % 1:
            raise EvaluationError(steps)
        scores[indicator["code"]] = int(points * 10)
    evaluation.scores = scores
    evaluation.notes = {k: v.strip()[:1000] for k, v in notes.items() if v and v.strip()}
    evaluation.comment = (comment or "").strip()
    evaluation.total_tenths = sum(scores.values())
    db.session.flush()
    return evaluation


def finalize(evaluation: Evaluation, user: User) -> Evaluation:
    if evaluation.is_final:
        raise EvaluationError(_l("This evaluation is final and can no longer change."))
    missing = [i["name"] for i in evaluation.indicators if i["code"] not in evaluation.scores]
    if missing:
        raise EvaluationError(_l("Score every indicator first (missing: %(names)s).",
                                 names="、".join(missing)))
    evaluation.total_tenths = sum(evaluation.scores.values())
    evaluation.tier = tier_for(evaluation.total_tenths, evaluation.tiers)
    evaluation.status, evaluation.finalized_at, evaluation.finalized_by_id = (
        EvalStatus.FINAL, utcnow(), user.id)
    db.session.flush()
    return evaluation


def give_feedback(evaluation: Evaluation, user: User, ratings: dict[str, int],
                  comment: str, questions: list[dict]) -> EvaluationFeedback:
    if evaluation.mode == Mode.SELF or not evaluation.is_final:
        raise EvaluationError(_l("Feedback on the process is given once the bureau's or the third party's evaluation is final."))
    if evaluation.feedback is not None:
        raise EvaluationError(_l("Feedback on this evaluation was already given."))
    clean = {}
    for question in questions:
        value = ratings.get(question["code"])
        if value not in (1, 2, 3, 4, 5):
            raise EvaluationError(_l("Rate every question from 1 to 5."))
        clean[question["code"]] = value
    feedback = EvaluationFeedback(
        tenant_id=evaluation.tenant_id, org_id=evaluation.org_id, evaluation_id=evaluation.id,
        ratings=clean, average_tenths=round(sum(clean.values()) * 10 / len(clean)),
        comment=(comment or "").strip()[:4000], submitted_by_id=user.id)
    db.session.add(feedback)
    db.session.flush()
    return feedback


def latest_for_org(tenant_id: int, org_id: int) -> Evaluation | None:
    """The org's latest final independent (bureau or third-party) evaluation, else its latest
    final self-evaluation: what the bureau sees when deciding the next award."""
    independent = case((Evaluation.mode == Mode.SELF.value, 0), else_=1)
    return db.session.scalar(
        select(Evaluation).where(Evaluation.tenant_id == tenant_id, Evaluation.org_id == org_id,
                                 Evaluation.status == EvalStatus.FINAL)
        .order_by(independent.desc(), Evaluation.finalized_at.desc(), Evaluation.id.desc())
        .limit(1))


def service_evidence(evaluation: Evaluation):
    """What residents' side of the service shows for the evaluated organization (or its
    contract's projects): people served, no-shows and the return visits (回访) — the figures
    the dashboard shows, read here beside the satisfaction indicators."""
    from app.oversight import service_figures

    if evaluation.contract_id:
        return service_figures.for_contract(evaluation.tenant_id, evaluation.contract_id)
    return service_figures.live(evaluation.tenant_id, evaluation.org_id)
