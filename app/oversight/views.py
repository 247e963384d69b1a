"""The anomaly queue: findings by severity, their evidence, assignment and resolution,
and the scans that raised them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.orgs.models import Organization
from app.oversight import evidence, services
from app.oversight.forms import AssignForm, ResolveForm, ScanForm
from app.oversight.models import Finding, ScanRun, Severity
from app.oversight.rules import all_rules
from app.oversight.scan import start_scan
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("oversight", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/oversight")


def _int(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/findings")
@login_required
def findings():
    tenant = current_tenant()
    require("oversight.view", tenant)
    flt = services.QueueFilter(status=request.args.get("status", "active"),
                               severity=request.args.get("severity", ""),
                               rule=request.args.get("rule", ""), org_id=_int("org_id"),
                               assignee_id=_int("assignee_id"))
    page = db.paginate(services.queue_query(tenant, flt), per_page=30)
    orgs = {o.id: o.name for o in db.session.scalars(scoped(Organization))}
    last_scan = db.session.scalar(scoped(ScanRun).order_by(ScanRun.id.desc()).limit(1))
    return render_template("oversight/findings.html", page=page, flt=flt, orgs=orgs,
                           rules=all_rules(), counts=services.counts(tenant),
                           severities=list(Severity), last_scan=last_scan, form=ScanForm(),
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.route("/findings/<int:finding_id>")
@login_required
def finding(finding_id: int):
    item = get_or_404(Finding, finding_id)
    require("oversight.view", item)
    tenant = current_tenant()
    assign_form = AssignForm(assignee_id=item.assignee_id or 0)
    assign_form.assignee_id.choices = [(0, _("Nobody"))] + [
        (u.id, u.name) for u in services.assignable_users(tenant)]
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.tenant_id == tenant.id,
                                 AuditEntry.object_type == "finding",
                                 AuditEntry.object_id == str(item.id))
        .order_by(AuditEntry.id)).all()
    links = [(evidence.title(e["type"], e["id"]), evidence.link(e["type"], e["id"]))
             for e in item.evidence]
    org = db.session.get(Organization, item.org_id) if item.org_id else None
    return render_template("oversight/finding.html", item=item, rule=all_rules().get(item.rule),
                           links=links, org=org, history=history, assign_form=assign_form,
                           resolve_form=ResolveForm())


@bp.route("/findings/<int:finding_id>/assign", methods=["POST"])
@login_required
def assign(finding_id: int):
    item = get_or_404(Finding, finding_id)
    require("oversight.manage", item)
    form = AssignForm()
    form.assignee_id.choices = [(0, "")] + [(u.id, u.name)
                                            for u in services.assignable_users(current_tenant())]
    if not form.validate_on_submit():
        flash(_("Choose a bureau officer of this district."), "error")
        return redirect(url_for("oversight.finding", finding_id=item.id))
    from app.auth.models import User

    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    try:
        services.assign(item, assignee, current_tenant())
    except services.FindingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Assignment saved."), "success")
    return redirect(url_for("oversight.finding", finding_id=item.id))


@bp.route("/findings/<int:finding_id>/resolve", methods=["POST"])
@login_required
def resolve(finding_id: int):
    item = get_or_404(Finding, finding_id)
    require("oversight.manage", item)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("oversight.finding", finding_id=item.id))
    try:
        services.resolve(item, current_user, form.resolution.data, form.note.data)
    except services.FindingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("The finding is resolved. It stays in the queue's history."), "success")
    return redirect(url_for("oversight.finding", finding_id=item.id))


@bp.route("/scans", methods=["GET", "POST"])
@login_required
def scans():
    tenant = current_tenant()
    if request.method == "POST":
        require("oversight.manage", tenant)
        if not ScanForm().validate_on_submit():
            flash(_("This form has expired. Please try again."), "error")
            return redirect(url_for("oversight.findings"))
        from workers.audit import scan as scan_job
        from workers.queue import enqueue_after_commit

        run = start_scan(tenant, "manual", current_user.id)
        enqueue_after_commit(scan_job, tenant.id, run.id, "manual", queue="default")
        commit()
        flash(_("The scan has started. New findings appear in the queue when it ends."), "success")
        return redirect(url_for("oversight.scan", scan_id=run.id))
    require("oversight.view", tenant)
    page = db.paginate(scoped(ScanRun).order_by(ScanRun.id.desc()), per_page=30)
    return render_template("oversight/scans.html", page=page)


@bp.route("/scans/<int:scan_id>")
@login_required
def scan(scan_id: int):
    run = get_or_404(ScanRun, scan_id)
    require("oversight.view", run)
    return render_template("oversight/scan.html", run=run, rules=all_rules())


@bp.app_context_processor
def _labels():
    from app.oversight import labels

    return {"oversight_labels": labels.all_labels(), "evidence_label": evidence.label,
            "evidence_title": evidence.title,
            "evidence_link": evidence.link, "figure_labels": labels.FIGURE,
            "method_labels": labels.METHOD}


# Dashboards and drill-down, and the figures by place and group, on this blueprint.
from app.oversight import pages, place_pages  # noqa: E402,F401
