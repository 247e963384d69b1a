"""The contract audit report (.xlsx, PDF): the contract's money from the ledger, spending by
line, tranches planned against paid, service during the term, the organization's findings,
spot-check outcomes and evaluations."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.exports.registry import ExportError, exporter
from app.exports.writers import Sheet, write_pdf, write_xlsx
from app.extensions import db


def _params(tenant, params: dict) -> dict:
    from app.funding.models import Contract

    raw = str(params.get("contract_id") or "")
    contract = db.session.get(Contract, int(raw)) if raw.isdigit() else None
    if contract is None or contract.tenant_id != tenant.id or contract.status not in ("signed", "closed"):
        raise ExportError(_l("Choose a signed contract of this district."))
    return {"contract_id": contract.id}


def report_data(tenant, contract) -> dict:
    from app.evaluation.models import Evaluation
    from app.orgs.models import Organization
    from app.oversight import dashboard
    from app.oversight.models import Finding
    from app.oversight.rules import all_rules
    from app.spotchecks.models import SpotCheckItem

    view = dashboard.contract_view(tenant, contract)
    rules = all_rules()
    findings = [(f, rules.get(f.rule)) for f in db.session.scalars(
        select(Finding).where(Finding.tenant_id == tenant.id, Finding.org_id == contract.org_id)
        .order_by(Finding.id))]
    checks = db.session.scalars(select(SpotCheckItem).where(
        SpotCheckItem.tenant_id == tenant.id, SpotCheckItem.org_id == contract.org_id)
        .order_by(SpotCheckItem.id)).all()
    evaluations = db.session.scalars(select(Evaluation).where(
        Evaluation.tenant_id == tenant.id, Evaluation.org_id == contract.org_id)
        .order_by(Evaluation.id)).all()
    return {"view": view, "org": db.session.get(Organization, contract.org_id),
            "findings": findings, "checks": checks, "evaluations": evaluations}


@exporter("contract_audit", title=_l("Contract audit report"), formats=("xlsx", "pdf"),
          validate=_params)
def contract_audit(job) -> None:
    from app.funding.models import Contract
    from app.oversight import labels

    contract = db.session.get(Contract, job.params["contract_id"])
    data = report_data(job.tenant, contract)
    if job.fmt == "pdf":
        write_pdf(job.path, "oversight/audit_pdf.html", tenant=job.tenant, contract=contract,
                  labels=labels, **data)
        job.export.rows = len(data["findings"])
        return
    m, s = data["view"]["money"], data["view"]["service"]
    from app.funding.figures import sheet_rows

    figures = [[word, fen / 100] for word, fen in sheet_rows(data["view"]["figures"])]
    figures += [[_("Committed"), m.committed / 100],
               [_("Points issued"), m.points_issued], [_("Points redeemed"), m.points_redeemed],
               [_("Verified service hours"), float(s.hours)], [_("Volunteers"), s.volunteers],
               [_("People served"), s.people_served],
               [_("Average satisfaction"), float(s.satisfaction) if s.satisfaction else None],
               [_("Complaints"), s.complaints]]
    lines = [[line["name"], None if line["budget"] is None else line["budget"] / 100,
              line["spent"] / 100] for line in data["view"]["lines"]]
    tranches = [[t.seq, t.milestone, t.planned_on.isoformat(), t.amount_fen / 100,
                 t.paid_on.isoformat() if t.paid_on else "", t.days_late or 0]
                for t in data["view"]["tranches"]]
    findings = [[f.id, str(rule.title) if rule else f.rule, str(labels.SEVERITY.get(f.severity)),
                 rule.describe(f.details) if rule else "", str(labels.STATUS.get(f.status)),
                 f.resolution_note] for f, rule in data["findings"]]
    meta = [[job.tenant.name, _("Contract audit report")],
            [_("Contract"), f"{contract.number} {contract.title}"],
            [_("Organization"), data["org"].name]]
    job.export.rows = write_xlsx(job.path, [
        Sheet(_("Summary"), [_("Figure"), _("Value")], figures, widths=[24, 18]),
        Sheet(_("Spent by budget line"), [_("Budget line"), _("Budget"), _("Spent")], lines),
        Sheet(_("Tranches"), ["#", _("Milestone"), _("Planned"), _("Amount"), _("Paid on"),
                              _("Days late")], tranches),
        Sheet(_("Findings"), ["#", _("Rule"), _("Severity"), _("Finding"), _("Status"),
                              _("Resolution note")], findings, widths=[6, 24, 8, 60, 10, 40]),
    ], meta=meta)


def _places_params(tenant, params: dict) -> dict:
    from app.parsing import DateInputError, optional_date

    out = {}
    for name in ("start", "end"):
        try:
            day = optional_date(params, name)
        except DateInputError as exc:
            raise ExportError(str(exc)) from exc
        if day:
            out[name] = day.isoformat()
    return out


def write_places(path, tenant, out) -> int:
    """The figures by place and group: the area tree, the groups, and what was not covered,
    with the page's column names."""
    from app.oversight.place_columns import COLUMNS, area_rows, cell, group_rows, period_words

    headers = [str(c.label) for c in COLUMNS]
    indent = "　"  # a full-width space per level, as the page indents
    areas = [[indent * max(depth, 0) + name, *(cell(f, c) for c in COLUMNS)]
             for name, f, depth in area_rows(out)]
    groups = [[name, *(cell(f, c) for c in COLUMNS)] for name, f in group_rows(out)]
    gaps = [[_("Communities with no service"), n.name] for n in out.unserved]
    gaps += [[_("Groups not reached"), name] for name in out.unreached]
    meta = [[tenant.name, _("Figures by place and group")],
            [_("Time period"), period_words(out.start, out.end)]]
    widths = [22] + [14] * len(COLUMNS)
    return write_xlsx(path, [
        Sheet(_("By area"), [_("Area"), *headers], areas, widths=widths),
        Sheet(_("By target group"), [_("Target group"), *headers], groups, widths=widths),
        Sheet(_("Not covered"), [_("What"), _("Name")], gaps, widths=[24, 22]),
    ], meta=meta)


@exporter("places", title=_l("Figures by place and group"), formats=("xlsx",),
          validate=_places_params)
def places_export(job) -> None:
    from datetime import date

    from app.oversight import places

    day = {k: date.fromisoformat(v) for k, v in job.params.items() if k in ("start", "end")}
    out = places.compute(job.tenant, day.get("start"), day.get("end"))
    job.export.rows = write_places(job.path, job.tenant, out)
