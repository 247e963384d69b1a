"""Dashboards and drill-down (the bureau's morning pages). Read-only."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required

from app.books.accounts import namer
from app.extensions import db
from app.orgs.models import Organization
from app.oversight import dashboard, drill
from app.oversight.views import bp
from app.parsing import query_dates
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404


def _funding():
    if not dashboard.funding_available():
        abort(404)
    from app.funding import models

    return models


@bp.route("/")
@login_required
def dashboard_page():
    tenant = current_tenant()
    require("oversight.view", tenant)
    return render_template("oversight/dashboard.html", view=dashboard.tenant_view(tenant))


@bp.route("/funds/<int:fund_id>")
@login_required
def fund(fund_id: int):
    item = get_or_404(_funding().Fund, fund_id)
    require("oversight.view", item)
    return render_template("oversight/fund.html", fund=item,
                           view=dashboard.fund_view(current_tenant(), item))


@bp.route("/orgs/<int:org_id>")
@login_required
def org(org_id: int):
    item = get_or_404(Organization, org_id)
    require("oversight.view", item)
    from app.evaluation.services import latest_for_org

    return render_template("oversight/org.html", org=item,
                           view=dashboard.org_view(current_tenant(), item),
                           evaluation=latest_for_org(item.tenant_id, item.id))


@bp.route("/contracts/<int:contract_id>")
@login_required
def contract(contract_id: int):
    item = get_or_404(_funding().Contract, contract_id)
    require("oversight.view", item)
    from app.evaluation.models import Evaluation

    evaluations = db.session.scalars(db.select(Evaluation).where(
        Evaluation.tenant_id == item.tenant_id, Evaluation.contract_id == item.id)
        .order_by(Evaluation.id.desc())).all()
    org_row = db.session.get(Organization, item.org_id)
    return render_template("oversight/contract.html", contract=item, org=org_row,
                           view=dashboard.contract_view(current_tenant(), item),
                           evaluations=evaluations)


@bp.route("/money")
@login_required
def money():
    tenant = current_tenant()
    require("oversight.view", tenant)
    figure = request.args.get("figure", "")
    if figure not in drill.FIGURES:
        abort(404)
    filters = {k: request.args.get(k, type=int) for k in ("contract_id", "org_id", "fund_id")}
    filters["line"] = request.args.get("line") or None
    if filters["line"] and not filters["line"].isalnum():
        abort(404)
    lines, total, nxt = drill.money_lines(tenant.id, figure, after=request.args.get("after", type=int),
                                          **filters)
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template("oversight/money.html", figure=figure, lines=lines, total=total,
                           next_after=nxt, args=args, source_link=drill.source_link,
                           points=figure.startswith("points"),
                           account_name=namer(tenant.id, (line.account for line in lines)))


@bp.route("/records")
@login_required
def records():
    tenant = current_tenant()
    require("oversight.view", tenant)
    org_id = request.args.get("org_id", type=int)
    days, refused = query_dates(request.args, "start", "end")
    rows, nxt = drill.records(tenant.id, org_id, start=days["start"], end=days["end"],
                              method=request.args.get("method") or None,
                              after=request.args.get("after", type=int))
    orgs = {o.id: o.name for o in db.session.scalars(db.select(Organization).where(
        Organization.tenant_id == tenant.id))}
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template("oversight/records.html", rows=rows, next_after=nxt, args=args,
                           orgs=orgs, refused=refused), 400 if refused else 200


@bp.route("/records/<int:record_id>")
@login_required
def record(record_id: int):
    from app.service.models import ServiceRecord

    item = get_or_404(ServiceRecord, record_id)
    require("oversight.view", item)
    from app.auth.models import User

    people = {u.id: u.name for u in db.session.scalars(db.select(User).where(User.id.in_(
        [i for i in (item.user_id, item.verified_by_id, item.marked_by_id) if i])))}
    from app.service.labels import RECORD_STATUS_LABELS

    return render_template("oversight/record.html", item=item, people=people,
                           org=db.session.get(Organization, item.org_id),
                           status_label=RECORD_STATUS_LABELS.get(item.status, item.status))


@bp.route("/expenditures/<int:expenditure_id>")
@login_required
def expenditure(expenditure_id: int):
    from app.books import services as books

    item = get_or_404(_funding().Expenditure, expenditure_id)
    require("oversight.view", item)
    from app.auth.models import User

    people = {u.id: u.name for u in db.session.scalars(db.select(User).where(User.id.in_(
        [i for i in (item.recorded_by_id, item.org_approved_by_id, item.bureau_approved_by_id,
                     item.rejected_by_id, item.reversed_by_id) if i])))}
    txns = books.transactions_for_source(item.tenant_id, f"expenditure:{item.id}")
    return render_template("oversight/expenditure.html", item=item, people=people, txns=txns,
                           org=db.session.get(Organization, item.org_id))


@bp.route("/orgs/<int:org_id>/residents")
@login_required
def residents(org_id: int):
    """Behind "people served", "no-shows", "average satisfaction" and "complaints": the
    residents recorded as come (and not), ratings and complaints of one organization (newest
    first, at most 200 of each)."""
    from app.attendance.models import SlotAttendance
    from app.complaints.models import Complaint
    from app.projects.models import ServiceSlot
    from app.service.models import ServiceRating

    item = get_or_404(Organization, org_id)
    require("oversight.view", item)
    from app.auth.models import User

    served = db.session.execute(
        db.select(SlotAttendance.id, SlotAttendance.user_id, SlotAttendance.attended,
                  SlotAttendance.source, User.name, ServiceSlot.starts_at, ServiceSlot.place)
        .join(ServiceSlot, ServiceSlot.id == SlotAttendance.slot_id)
        .join(User, User.id == SlotAttendance.user_id)
        .where(SlotAttendance.tenant_id == item.tenant_id, SlotAttendance.org_id == item.id)
        .order_by(ServiceSlot.starts_at.desc(), SlotAttendance.id.desc()).limit(200)).all()
    ratings = db.session.scalars(db.select(ServiceRating).where(
        ServiceRating.tenant_id == item.tenant_id, ServiceRating.org_id == item.id)
        .order_by(ServiceRating.id.desc()).limit(200)).all()
    complaints = db.session.scalars(db.select(Complaint).where(
        Complaint.tenant_id == item.tenant_id, Complaint.org_id == item.id)
        .order_by(Complaint.id.desc()).limit(200)).all()
    from app.attendance.labels import SOURCE

    return render_template("oversight/residents.html", org=item, served=served, ratings=ratings,
                           complaints=complaints, attendance_source=SOURCE)
