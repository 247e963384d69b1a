"""Monthly report pages: the public list of months and each published report with its
.xlsx and PDF (no sign-in), the bureau's page (every month, and making a past month's), and
an organization's own months for its staff."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.monthly import files, present, services
from app.monthly.forms import MonthForm
from app.monthly.models import MonthlyReport
from app.monthly.services import MonthlyError
from app.orgs.models import Organization
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("monthly", __name__, template_folder="templates", url_prefix="/t/<tenant>")

MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "pdf": "application/pdf"}


def _chosen(available: list[tuple[int, int]]) -> tuple[int, int] | None:
    year, month = request.args.get("year", type=int), request.args.get("month", type=int)
    if (year, month) in available:
        return year, month
    return available[0] if available else None


@bp.route("/open/monthly")
def public_index():
    tenant = current_tenant()
    available = services.months(tenant.id)
    chosen = _chosen(available)
    reports = services.of_month(tenant.id, *chosen) if chosen else []
    return render_template("monthly/index.html", months=available, chosen=chosen,
                           reports=reports, present=present)


@bp.route("/open/monthly/<int:report_id>")
def public_report(report_id: int):
    report = get_or_404(MonthlyReport, report_id)
    return render_template("monthly/report.html", report=report, present=present,
                           service=present.service_lines(report),
                           contracts=present.contracts(report), totals=present.totals(report),
                           month=present.month_lines(report.figures["month"]))


def _name(report: MonthlyReport, fmt: str) -> str:
    return f"monthly-{current_tenant().slug}-{report.year}{report.month:02d}-{report.id}.{fmt}"


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/open/monthly/<int:report_id>/report.xlsx")
def download_xlsx(report_id: int):
    report = get_or_404(MonthlyReport, report_id)
    return _no_store(send_file(io.BytesIO(files.xlsx(report)), mimetype=MIMETYPES["xlsx"],
                               as_attachment=True, download_name=_name(report, "xlsx")))


@bp.route("/open/monthly/<int:report_id>/report.pdf")
def download_pdf(report_id: int):
    report = get_or_404(MonthlyReport, report_id)
    return _no_store(send_file(io.BytesIO(files.pdf(report)), mimetype=MIMETYPES["pdf"],
                               as_attachment=True, download_name=_name(report, "pdf")))


@bp.route("/monthly", methods=["GET", "POST"])
@login_required
def bureau():
    tenant = current_tenant()
    require("monthly.view", tenant)
    form = MonthForm()
    if request.method == "POST":
        require("monthly.generate", tenant)
        if not form.validate_on_submit():
            flash_form_errors(form)
            return redirect(url_for("monthly.bureau"))
        try:
            year, month = services.check_month(*form.chosen())
        except MonthlyError as exc:
            flash(str(exc), "error")
            return redirect(url_for("monthly.bureau"))
        if (page := confirm.ask("monthly.generate", tenant, url_for("monthly.bureau"))) is not None:
            return page
        made = services.generate(tenant, year, month, by=current_user)
        commit()
        label = f"{year}-{month:02d}"
        if made.made:
            flash(_("%(n)s reports for %(month)s were published.", n=made.made, month=label),
                  "success")
        else:
            flash(_("The reports for %(month)s were already published; they stay as they are.",
                    month=label), "info")
        return redirect(url_for("monthly.public_index", year=year, month=month))
    available = services.months(tenant.id)
    chosen = _chosen(available)
    if not form.month.data:
        form.month.data = "{}-{:02d}".format(*services.last_ended_month())
    return render_template("monthly/bureau.html", months=available, chosen=chosen, form=form,
                           reports=services.of_month(tenant.id, *chosen) if chosen else [],
                           present=present)


@bp.route("/monthly/mine")
@login_required
def mine():
    tenant = current_tenant()
    org_ids = sorted(current_user.org_ids(tenant.id))
    if not org_ids:
        abort(403)
    if len(org_ids) == 1:
        return redirect(url_for("monthly.org", org_id=org_ids[0]))
    orgs = [db.session.get(Organization, i) for i in org_ids]
    return render_template("monthly/mine.html", orgs=orgs)


@bp.route("/monthly/orgs/<int:org_id>")
@login_required
def org(org_id: int):
    item = get_or_404(Organization, org_id)
    require("monthly.org.view", item)
    reports = services.of_org(current_tenant().id, item.id)
    return render_template("monthly/org.html", org=item, reports=reports, present=present)
