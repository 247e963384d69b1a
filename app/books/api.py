"""``/api/v1/t/<tenant>/books``: balances, statements and drill-down from the read index.

Amounts are decimal strings (yuan for CNY, whole points for PTS), never floats.
Same permissions as the pages: ``audit.read`` for the tenant's books, and
``books.org_statement.read`` for one organization's statement.
"""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView

from app.api import api_blueprint
from app.books import services
from app.orgs.models import Organization
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_books", __name__, "/t/<tenant>/books",
                    "The books: balances and statements from the ledger's read index")


class BalancesQuery(ma.Schema):
    year = ma.fields.Integer(load_default=None)
    prefix = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class BalanceSchema(ma.Schema):
    account = ma.fields.String(required=True)
    commodity = ma.fields.String(required=True, metadata={"description": "CNY or PTS"})
    year = ma.fields.Integer(required=True)
    balance = ma.fields.Decimal(as_string=True, required=True)
    postings = ma.fields.Integer(required=True)


class PageQuery(ma.Schema):
    after = ma.fields.Integer(load_default=None, metadata={"description": "posting id cursor"})
    before = ma.fields.Integer(load_default=None, metadata={"description": "posting id cursor"})
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(1, services.MAX_PAGE))


class StatementQuery(PageQuery):
    contract_id = ma.fields.Integer(load_default=None)
    year = ma.fields.Integer(load_default=None)


class LineSchema(ma.Schema):
    posting_id = ma.fields.Integer(required=True)
    txn_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    date = ma.fields.Date(required=True)
    event_date = ma.fields.Date(allow_none=True)
    narration = ma.fields.String()
    payee = ma.fields.String(allow_none=True)
    source = ma.fields.String()
    account = ma.fields.String(required=True)
    commodity = ma.fields.String(required=True)
    amount = ma.fields.Decimal(as_string=True, required=True)
    balance_after = ma.fields.Decimal(as_string=True, required=True)
    org_id = ma.fields.Integer(allow_none=True)
    contract_id = ma.fields.Integer(allow_none=True)


class PageSchema(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(LineSchema), required=True)
    next_after = ma.fields.Integer(allow_none=True)
    prev_before = ma.fields.Integer(allow_none=True)


class PostingSchema(ma.Schema):
    account = ma.fields.String(required=True)
    amount = ma.fields.Decimal(as_string=True, required=True)
    commodity = ma.fields.String(required=True)


class TxnSchema(ma.Schema):
    txn_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    date = ma.fields.Date(required=True)
    event_date = ma.fields.Date(allow_none=True)
    narration = ma.fields.String()
    payee = ma.fields.String(allow_none=True)
    fund_id = ma.fields.Integer(allow_none=True)
    org_id = ma.fields.Integer(allow_none=True)
    contract_id = ma.fields.Integer(allow_none=True)
    source = ma.fields.String()
    approver = ma.fields.String()
    hash = ma.fields.String()
    prev_hash = ma.fields.String()
    postings = ma.fields.List(ma.fields.Nested(PostingSchema))


class SourceQuery(ma.Schema):
    # Not required by the schema, so a caller without access gets 403, not a 422 first.
    source = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class LedgerVerificationSchema(ma.Schema):
    checked_at = ma.fields.DateTime(allow_none=True)
    ok = ma.fields.Boolean(allow_none=True)
    year = ma.fields.Integer(allow_none=True)
    transactions = ma.fields.Integer()
    problems = ma.fields.Integer()
    message = ma.fields.String()
    pending_events = ma.fields.Integer()
    failing_events = ma.fields.Integer()


def _txn(view: services.TxnView) -> dict:
    t = view.txn
    return {**{k: getattr(t, k) for k in TxnSchema._declared_fields if k != "postings"},
            "postings": [{"account": a, "amount": n, "commodity": c}
                         for a, n, c in view.postings]}


def _tenant_books():
    tenant = current_tenant()
    require("audit.read", tenant)
    return tenant


@blp.route("/balances")
class Balances(MethodView):
    @blp.arguments(BalancesQuery, location="query")
    @blp.response(200, BalanceSchema(many=True))
    def get(self, args):
        """Every account with a non-zero balance (optionally one fiscal year, a name prefix)."""
        tenant = _tenant_books()
        return services.accounts(tenant.id, args["year"], args["prefix"])


@blp.route("/orgs/<int:org_id>/statement")
class OrgStatement(MethodView):
    @blp.arguments(StatementQuery, location="query")
    @blp.response(200, PageSchema)
    def get(self, args, org_id):
        """An organization's postings (one contract's with ``contract_id``), journal order."""
        tenant = current_tenant()
        org = get_or_404(Organization, org_id)
        require("books.org_statement.read", org)
        return services.statement(tenant.id, org.id, args["contract_id"], args["year"],
                                  after=args["after"], before=args["before"],
                                  limit=args["limit"])


@blp.route("/accounts/<ledger_account>/postings")
class AccountPostings(MethodView):
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, PageSchema)
    def get(self, args, ledger_account):
        """One account's postings with the balance after each."""
        tenant = _tenant_books()
        if not services.account_exists(tenant.id, ledger_account):
            abort(404)
        return services.account_postings(tenant.id, ledger_account, after=args["after"],
                                         before=args["before"], limit=args["limit"])


@blp.route("/transactions")
class Transactions(MethodView):
    @blp.arguments(SourceQuery, location="query")
    @blp.response(200, TxnSchema(many=True))
    def get(self, args):
        """Drill-down: the transactions one business object caused (``?source=expenditure:17``)."""
        tenant = _tenant_books()
        if not args["source"]:
            return []  # nothing named, nothing caused
        return [_txn(v) for v in services.transactions_for_source(tenant.id, args["source"])]


@blp.route("/transactions/<txn_id>")
class Transaction(MethodView):
    @blp.response(200, TxnSchema)
    def get(self, txn_id):
        """One transaction by txn-id."""
        tenant = _tenant_books()
        view = services.transaction(tenant.id, txn_id)
        if view is None:
            abort(404)
        return _txn(view)


@blp.route("/verification")
class Verification(MethodView):
    @blp.response(200, LedgerVerificationSchema)
    def get(self):
        """When the index was last reconciled with the journal, and what is still pending."""
        tenant = _tenant_books()
        last = services.last_verified(tenant.id)
        outbox = services.outbox_status(tenant.id)
        out = {"pending_events": outbox.pending, "failing_events": outbox.failing,
               "checked_at": None, "ok": None}
        if last is not None:
            out.update(checked_at=last.checked_at, ok=last.ok, year=last.year,
                       transactions=last.transactions, problems=last.problems,
                       message=last.message)
        return out


def blueprints():
    return [blp]
