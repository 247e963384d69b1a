"""Where evidence of each kind opens (registered with ``app.oversight.evidence``)."""

from __future__ import annotations

from flask import url_for

from app.oversight.evidence import detail_page


@detail_page("service_record")
def _record(object_id: int) -> str:
    return url_for("oversight.record", record_id=object_id)


@detail_page("expenditure")
def _expenditure(object_id: int) -> str:
    return url_for("oversight.expenditure", expenditure_id=object_id)


@detail_page("organization")
def _organization(object_id: int) -> str:
    return url_for("oversight.org", org_id=object_id)


@detail_page("contract")
def _contract(object_id: int) -> str:
    return url_for("oversight.contract", contract_id=object_id)


@detail_page("user")
def _user(object_id: int) -> str:
    return url_for("audit.log", actor_id=object_id)


@detail_page("disbursement")
def _disbursement(object_id: int) -> str:
    from app.extensions import db
    from app.funding.models import Disbursement

    row = db.session.get(Disbursement, object_id)
    return url_for("oversight.contract", contract_id=row.contract_id) if row else "#"


@detail_page("tranche")
def _tranche(object_id: int) -> str:
    from app.extensions import db
    from app.funding.models import Tranche

    row = db.session.get(Tranche, object_id)
    return url_for("oversight.contract", contract_id=row.contract_id, _anchor="tranches") if row else "#"


@detail_page("ledger_txn")
def _txn(object_id: int) -> str:
    from app.books.models import LedgerTxn
    from app.extensions import db

    row = db.session.get(LedgerTxn, object_id)
    return url_for("books.transaction", txn_id=row.txn_id) if row else "#"


@detail_page("fund")
def _fund(object_id: int) -> str:
    return url_for("oversight.fund", fund_id=object_id)


@detail_page("service_slot")
def _slot(object_id: int) -> str:
    return url_for("attendance.roster", slot_id=object_id)


@detail_page("return_visit")
def _return_visit(object_id: int) -> str:
    return url_for("returnvisits.visit_page", visit_id=object_id)
