"""Exports of quarterly statements (.xlsx, PDF) and IATI-style open data (XML, JSON)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.disclosure import iati, statements
from app.exports.registry import ExportError, exporter
from app.exports.writers import Sheet, write_pdf, write_xlsx
from app.extensions import db


def _contract(tenant, contract_id):
    from app.funding.models import Contract

    try:
        contract = db.session.get(Contract, int(contract_id))
    except (TypeError, ValueError):
        contract = None
    if contract is None or contract.tenant_id != tenant.id or contract.status not in ("signed", "closed"):
        raise ExportError(_l("Choose a signed contract of this district."))
    return contract


def _statement_params(tenant, params: dict) -> dict:
    contract = _contract(tenant, params.get("contract_id"))
    out = {"contract_id": contract.id}
    try:
        year, quarter = int(params.get("year") or 0), int(params.get("quarter") or 0)
    except ValueError as exc:
        raise ExportError(_l("Choose a quarter from 1 to 4.")) from exc
    if year or quarter:
        if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
            raise ExportError(_l("Choose a quarter from 1 to 4."))
        out.update(year=year, quarter=quarter)
    return out


@exporter("statement", title=_l("Quarterly statement"), formats=("xlsx", "pdf"),
          validate=_statement_params)
def statement(job) -> None:
    from app.funding.models import Contract
    from app.orgs.models import Organization

    contract = db.session.get(Contract, job.params["contract_id"])
    quarters = statements.quarters(job.tenant.id, contract)
    chosen = (job.params["year"], job.params["quarter"]) if "year" in job.params else (
        quarters[0] if quarters else statements.quarter_of(contract.starts_on))
    report = statements.statement(job.tenant.id, contract, *chosen)
    org = db.session.get(Organization, contract.org_id)
    from app.funding.figures import for_contract, sheet_rows

    figures = for_contract(contract)
    if job.fmt == "pdf":
        write_pdf(job.path, "disclosure/statement_pdf.html", tenant=job.tenant, org=org,
                  report=report, figures=figures)
        job.export.rows = len(report.items)
        return
    meta = [[job.tenant.name, _("Quarterly statement")], [_("Organization"), org.name],
            [_("Contract"), f"{contract.number} {contract.title}"],
            [_("Time period"), f"{report.start.isoformat()} – {report.end.isoformat()}"],
            [_("Balance at the start"), report.opening / 100], [_("Received in the quarter"), report.received / 100],
            [_("Spent in the quarter"), report.spent / 100],
            [_("Returned in the quarter"), report.returned / 100],
            [_("Balance at the end of the quarter"), report.closing / 100]]
    meta += [[word, fen / 100] for word, fen in sheet_rows(figures)]
    items = [[i.date.isoformat(), i.narration, i.amount / 100, i.txn_id] for i in report.items]
    lines = [[name, fen / 100] for name, fen in report.by_line.items()]
    job.export.rows = write_xlsx(job.path, [
        Sheet(_("Items"), [_("Date"), _("Item"), _("Amount (yuan)"), _("Ledger transaction")],
              items, widths=[12, 60, 16, 14]),
        Sheet(_("Spent by budget line"), [_("Budget line"), _("Amount (yuan)")], lines,
              widths=[20, 16])], meta=meta)


def _iati_params(tenant, params: dict) -> dict:
    if params.get("fund_id"):
        from app.funding.models import Fund

        fund = db.session.get(Fund, int(params["fund_id"])) if str(params["fund_id"]).isdigit() else None
        if fund is None or fund.tenant_id != tenant.id:
            raise ExportError(_l("Choose a fund of this district."))
        return {"fund_id": fund.id}
    return {}


@exporter("iati", title=_l("Open data (IATI activities and transactions)"), formats=("xml", "json"),
          validate=_iati_params)
def iati_export(job) -> None:
    job.export.rows = iati.write(job, job.fmt)
