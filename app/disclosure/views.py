"""Public disclosure pages (no sign-in): published contracts with budgets and quarterly
itemized statements per contract and organization, with links to the notice board and the
spot-check results."""

from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select

from app.disclosure import statements
from app.extensions import db
from app.orgs.models import Organization
from app.parsing import known_year
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("disclosure", __name__, template_folder="templates", url_prefix="/t/<tenant>/open")

PUBLISHED = ("signed", "closed")


def _published(**where):
    from app.funding.models import Contract

    stmt = select(Contract).where(Contract.tenant_id == current_tenant().id,
                                  Contract.status.in_(PUBLISHED))
    for key, value in where.items():
        stmt = stmt.where(getattr(Contract, key) == value)
    return list(db.session.scalars(stmt.order_by(Contract.starts_on.desc(), Contract.id.desc())))


def _contract(contract_id: int):
    from app.funding.models import Contract

    contract = get_or_404(Contract, contract_id)
    if contract.status not in PUBLISHED:
        abort(404)
    return contract


def _quarter(available: list[tuple[int, int]]) -> tuple[int, int] | None:
    year, quarter = request.args.get("year", type=int), request.args.get("quarter", type=int)
    if known_year(year) and quarter in (1, 2, 3, 4):
        return year, quarter
    return available[0] if available else None


@bp.route("")
def index():
    tenant = current_tenant()
    contracts = _published()
    orgs = {o.id: o for o in db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.id.in_({c.org_id for c in contracts})))}
    return render_template("disclosure/index.html", contracts=contracts, orgs=orgs)


def _places():
    from app.oversight import place_pages, places

    start, end, refused = place_pages.chosen_period(request.args)
    return places.compute(current_tenant(), start, end), refused


@bp.route("/places")
def places():
    """Service, money, needs and satisfaction in each area and for each group (totals only)."""
    from app.oversight.place_pages import page_context

    out, refused = _places()
    return render_template("disclosure/places.html", **page_context(out, refused)), \
        400 if refused else 200


@bp.route("/places.xlsx")
def places_xlsx():
    from app.oversight.place_pages import XLSX, xlsx_bytes

    out, _refused = _places()
    response = send_file(io.BytesIO(xlsx_bytes(current_tenant(), out)), mimetype=XLSX,
                         as_attachment=True, download_name=f"places-{current_tenant().slug}.xlsx")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/contracts/<int:contract_id>")
def contract(contract_id: int):
    item = _contract(contract_id)
    tenant = current_tenant()
    available = statements.quarters(tenant.id, item)
    chosen = _quarter(available)
    report = statements.statement(tenant.id, item, *chosen) if chosen else None
    return render_template("disclosure/contract.html", contract=item, report=report,
                           quarters=available, org=db.session.get(Organization, item.org_id))


@bp.route("/orgs/<int:org_id>")
def org(org_id: int):
    item = get_or_404(Organization, org_id)
    tenant = current_tenant()
    contracts = _published(org_id=item.id)
    available = sorted({q for c in contracts for q in statements.quarters(tenant.id, c)},
                       reverse=True)
    chosen = _quarter(available)
    reports = [statements.statement(tenant.id, c, *chosen) for c in contracts] if chosen else []
    return render_template("disclosure/org.html", org=item, reports=reports, quarters=available,
                           chosen=chosen, contracts=contracts)
