"""Read-only pages of the books for the bureau and auditors, and an organization's statement.

Everything shown comes from the SQL read index; the journal itself is only
streamed as a download, from what the ledger worker published (``app.books.publish``).
Nothing here writes.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import storage
from app.books import origin, publish, services
from app.books.accounts import namer
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("books", __name__, template_folder="templates", url_prefix="/t/<tenant>/books")

ROOTS = {"Assets": _l("Assets"), "Liabilities": _l("Liabilities"), "Equity": _l("Equity"),
         "Income": _l("Income"), "Expenses": _l("Expenses")}
KIND_LABELS = {
    "appropriation": _l("Appropriation"),
    "commitment": _l("Commitment"),
    "commitment-release": _l("Commitment released"),
    "disbursement": _l("Disbursement"),
    "expenditure": _l("Expenditure"),
    "incentive-accrual": _l("Points granted"),
    "redemption-settlement": _l("Points redemption settled"),
    "refund": _l("Refund of unspent money"),
    "reversal": _l("Reversal"),
    "time-deposit": _l("Hours deposited in the time bank"),
    "time-transfer": _l("Time credits given"),
    "time-payment": _l("Service paid with time credits"),
    "carry-out": _l("Year-end carry-over (out)"),
    "carry-in": _l("Opening balances carried in"),
}


@bp.app_template_global("kind_label")
def kind_label(kind: str) -> str:
    """What a transaction kind is called on the pages (预算拨款, 支出 …)."""
    return str(KIND_LABELS.get(kind, kind))


def _cursor(name: str) -> int | None:
    return request.args.get(name, type=int)


@bp.route("/")
def index():
    tenant = current_tenant()
    require("audit.read", tenant)
    years = services.fiscal_years(tenant.id)
    year = request.args.get("year", type=int) or (years[0] if years else None)
    root = request.args.get("root") if request.args.get("root") in ROOTS else None
    rows = services.accounts(tenant.id, year, f"{root}:" if root else None) if year else []
    return render_template(
        "books/index.html", rows=rows, years=years, year=year, root=root, roots=ROOTS,
        account_name=namer(tenant.id, (r.account for r in rows)),
        verified=services.last_verified(tenant.id), outbox=services.outbox_status(tenant.id),
        journal_years=publish.years(tenant.slug))


@bp.route("/accounts/<ledger_account>")
def account(ledger_account: str):
    tenant = current_tenant()
    require("audit.read", tenant)
    if not services.account_exists(tenant.id, ledger_account):
        abort(404)
    page = services.account_postings(tenant.id, ledger_account, after=_cursor("after"),
                                     before=_cursor("before"))
    return render_template("books/account.html", account=ledger_account, page=page,
                           balance=services.balance(tenant.id, ledger_account),
                           account_name=namer(tenant.id, [ledger_account]))


@bp.route("/txns/<txn_id>")
def transaction(txn_id: str):
    tenant = current_tenant()
    require("audit.read", tenant)
    view = services.transaction(tenant.id, txn_id)
    if view is None:
        abort(404)
    related = [v for v in services.transactions_for_source(tenant.id, view.txn.source)
               if v.txn.id != view.txn.id] if view.txn.source else []
    return render_template("books/transaction.html", view=view, related=related,
                           text=services.rendered(tenant.id, view),
                           account_name=namer(tenant.id, (a for a, _, _ in view.postings)),
                           approver=origin.approver(tenant.id, view.txn.approver),
                           payee=origin.payee(view.txn.payee),
                           cause=origin.cause(view.txn.source),
                           parties=origin.parties(tenant.id, view.txn))


@bp.route("/orgs/<int:org_id>")
def org_statement(org_id: int):
    tenant = current_tenant()
    org = get_or_404(Organization, org_id)
    require("books.org_statement.read", org)
    contract = request.args.get("contract", type=int)
    year = request.args.get("year", type=int)
    page = services.statement(tenant.id, org.id, contract, year, after=_cursor("after"),
                              before=_cursor("before"))
    from app.funding.models_contracts import Contract

    contracts = db.session.execute(select(Contract.id, Contract.number, Contract.title).where(
        Contract.tenant_id == tenant.id, Contract.org_id == org.id, Contract.number != "")
        .order_by(Contract.id)).all()
    return render_template("books/statement.html", org=org, page=page, contract=contract,
                           contracts=contracts, year=year, years=services.fiscal_years(tenant.id),
                           account_name=namer(tenant.id, (line.account for line in page.lines)))


@bp.route("/journal")
def journal():
    """The journal for auditors: one year file (``?year=``), or main and all years as a zip."""
    tenant = current_tenant()
    require("audit.read", tenant)
    slug = tenant.slug
    published = publish.years(slug)
    year = request.args.get("year", type=int)
    if year is not None:
        if year not in published:
            abort(404)
        return storage.send(storage.JOURNAL, publish.key(slug, f"{year}.beancount"), slug,
                            "text/plain; charset=utf-8", f"{slug}-{year}.beancount",
                            as_attachment=True)
    if not published:
        abort(404)
    store = storage.area(storage.JOURNAL)
    # send_file closes it once the response has been streamed.
    buffer = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in [publish.MAIN] + [f"{y}.beancount" for y in published]:
            try:
                source = store.open(publish.key(slug, name), slug)
            except FileNotFoundError:  # not a plain file of the tenant's books
                continue
            with source, archive.open(f"{slug}/{name}", "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name=f"{tenant.slug}-ledger.zip",
                     mimetype="application/zip", max_age=0)
