"""Where evidence of each kind opens (registered with ``app.oversight.evidence``)."""

from __future__ import annotations

from flask import url_for

from app.extensions import db
from app.money import format_fen
from app.oversight.evidence import detail_page, namer


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


@namer("expenditure")
def _expenditure_name(object_id: int, tenant_id: int | None) -> str | None:
    from app.funding.models_spending import Expenditure

    row = db.session.get(Expenditure, object_id)
    if row is None or row.tenant_id != tenant_id:
        return None
    return f"{row.payee} {format_fen(row.amount_fen)}（{row.spent_on.isoformat()}）"


@namer("disbursement")
def _disbursement_name(object_id: int, tenant_id: int | None) -> str | None:
    from app.funding.models import Disbursement

    row = db.session.get(Disbursement, object_id)
    if row is None or row.tenant_id != tenant_id:
        return None
    return f"{format_fen(row.amount_fen)}（{row.paid_on.isoformat()}）"


@namer("service_record")
def _record_name(object_id: int, tenant_id: int | None) -> str | None:
    from app.auth.models import User
    from app.service.models import ServiceRecord

    row = db.session.get(ServiceRecord, object_id)
    if row is None or row.tenant_id != tenant_id:
        return None
    person = db.session.get(User, row.user_id)
    return f"{person.name if person else ''} {row.activity_date.isoformat()}".strip()
