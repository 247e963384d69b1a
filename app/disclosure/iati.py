"""IATI-style open data: each published contract is an ``iati-activity`` with its budget,
planned disbursements (tranches), transactions from the ledger (commitment 2,
disbursement 3, expenditure 4, money returned to the funder as incoming funds 1) and a
result indicator (verified service hours). Written as IATI 2.03 XML or as JSON, streamed
contract by contract so large books stay within memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select

from app.extensions import db
from app.parsing import local_today

CARRY = ("carry-out", "carry-in")
#: Ledger transaction kind → IATI transaction type code.
TYPE = {"commitment": "2", "commitment-release": "2", "disbursement": "3", "expenditure": "4",
        "redemption-settlement": "4", "refund": "1"}
#: Which posting carries a transaction's amount for the activity.
ACCOUNT = {"2": ":Committed:C", "3": ":Cash", "4": "Expenses:", "1": ":Refunded"}


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def contracts(tenant_id: int, fund_id: int | None = None) -> list:
    from app.funding.models import Contract

    stmt = select(Contract).where(Contract.tenant_id == tenant_id,
                                  Contract.status.in_(("signed", "closed")))
    if fund_id:
        stmt = stmt.where(Contract.fund_id == fund_id)
    return list(db.session.scalars(stmt.order_by(Contract.id)))


def transactions(tenant_id: int, contract) -> Iterator[dict]:
    """The contract's ledger transactions as IATI transactions (reversals negate the type
    of what they reverse), in journal order, read in keyset batches."""
    from app.books.models import LedgerPosting as P
    from app.books.models import LedgerTxn as T

    last = 0
    while True:
        rows = db.session.execute(
            select(T.id, T.txn_id, T.kind, T.date, T.narration, T.source, P.account, P.amount)
            .join(P, P.ledger_txn_id == T.id)
            .where(T.tenant_id == tenant_id, T.contract_id == contract.id, T.id > last,
                   T.kind.not_in(CARRY), P.commodity == "CNY")
            .order_by(T.id, P.id).limit(5000)).all()
        if not rows:
            return
        by_txn: dict[int, list] = {}
        for row in rows:
            by_txn.setdefault(row.id, []).append(row)
        for txn_rows in by_txn.values():
            first = txn_rows[0]
            kind = first.kind
            if kind == "reversal":  # a reversal negates what it reverses, in the same type
                origin = (first.source or "").split(":")[0]
                kind = {"disbursement": "disbursement", "expenditure": "expenditure",
                        "redemption": "redemption-settlement"}.get(origin, "commitment")
            code = TYPE.get(kind)
            if code is None:
                continue
            amount = sum(r.amount for r in txn_rows if ACCOUNT[code] in r.account)
            if amount:
                yield {"ref": first.txn_id, "type": code, "date": first.date.isoformat(),
                       "value": _yuan(amount), "description": first.narration}
        last = rows[-1].id


def activity(tenant, contract, org, fund) -> dict:
    from app.oversight.service_figures import live

    service = live(tenant.id, contract.org_id, contract.starts_on, contract.ends_on)
    return {
        "iati-identifier": f"CN-GZ-{tenant.slug}-C{contract.id}",
        "reporting-org": {"ref": f"CN-GZ-{tenant.slug}", "name": tenant.name},
        "title": contract.title, "description": contract.content,
        "activity-status": "3" if contract.status == "closed" else "2",
        "activity-date": {"start-planned": contract.starts_on.isoformat(),
                          "end-planned": contract.ends_on.isoformat()},
        "participating-org": [{"role": "1", "name": tenant.name},
                              {"role": "4", "ref": org.credit_code, "name": org.name}],
        "budget": {"period-start": contract.starts_on.isoformat(),
                   "period-end": contract.ends_on.isoformat(),
                   "value": _yuan(contract.price_fen), "currency": "CNY",
                   "lines": [{"name": line.name, "value": _yuan(line.budget_fen)}
                             for line in contract.lines]},
        "planned-disbursement": [{"period-start": t.planned_on.isoformat(),
                                  "value": _yuan(t.amount_fen), "milestone": t.milestone}
                                 for t in sorted(contract.tranches, key=lambda t: t.seq)],
        "fund": {"id": fund.id, "name": fund.name, "fiscal-year": fund.fiscal_year},
        "result": {"indicator": "核实志愿服务时长（小时）", "actual": str(service.hours),
                   "people-served": service.people_served},
    }


def _activity_xml(a: dict, txns: Iterator[dict]) -> Iterator[str]:
    yield (f'<iati-activity default-currency="CNY" last-updated-datetime='
           f'{quoteattr(local_today().isoformat())} xml:lang="zh">')
    yield f"<iati-identifier>{escape(a['iati-identifier'])}</iati-identifier>"
    yield (f"<reporting-org ref={quoteattr(a['reporting-org']['ref'])} type=\"10\">"
           f"<narrative>{escape(a['reporting-org']['name'])}</narrative></reporting-org>")
    yield f"<title><narrative>{escape(a['title'])}</narrative></title>"
    yield f"<description><narrative>{escape(a['description'])}</narrative></description>"
    for org in a["participating-org"]:
        ref = f" ref={quoteattr(org['ref'])}" if org.get("ref") else ""
        yield (f"<participating-org role={quoteattr(org['role'])}{ref}>"
               f"<narrative>{escape(org['name'])}</narrative></participating-org>")
    yield f"<activity-status code=\"{a['activity-status']}\"/>"
    yield f"<activity-date type=\"1\" iso-date=\"{a['activity-date']['start-planned']}\"/>"
    yield f"<activity-date type=\"3\" iso-date=\"{a['activity-date']['end-planned']}\"/>"
    b = a["budget"]
    yield (f"<budget type=\"1\" status=\"2\"><period-start iso-date=\"{b['period-start']}\"/>"
           f"<period-end iso-date=\"{b['period-end']}\"/>"
           f"<value currency=\"CNY\" value-date=\"{b['period-start']}\">{b['value']}</value></budget>")
    for p in a["planned-disbursement"]:
        yield (f"<planned-disbursement type=\"1\"><period-start iso-date=\"{p['period-start']}\"/>"
               f"<value currency=\"CNY\" value-date=\"{p['period-start']}\">{p['value']}</value>"
               f"</planned-disbursement>")
    for t in txns:
        yield (f"<transaction ref={quoteattr(t['ref'])}><transaction-type code=\"{t['type']}\"/>"
               f"<transaction-date iso-date=\"{t['date']}\"/>"
               f"<value currency=\"CNY\" value-date=\"{t['date']}\">{t['value']}</value>"
               f"<description><narrative>{escape(t['description'])}</narrative></description>"
               f"</transaction>")
    r = a["result"]
    yield (f"<result type=\"1\"><title><narrative>{escape(r['indicator'])}</narrative></title>"
           f"<indicator measure=\"1\" ascending=\"1\"><title><narrative>{escape(r['indicator'])}"
           f"</narrative></title><period><period-start iso-date=\"{a['activity-date']['start-planned']}\"/>"
           f"<period-end iso-date=\"{a['activity-date']['end-planned']}\"/>"
           f"<actual value=\"{r['actual']}\"/></period></indicator></result>")
    yield "</iati-activity>"


def write(job, fmt: str) -> int:
    """Write the tenant's activities to ``job.path``; returns how many transactions."""
    from app.funding.models import Fund
    from app.orgs.models import Organization

    tenant = job.tenant
    rows = contracts(tenant.id, job.params.get("fund_id"))
    count = 0
    with open(job.path, "w", encoding="utf-8") as out:
        if fmt == "xml":
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            out.write(f'<iati-activities version="2.03" generated-datetime='
                      f'{quoteattr(local_today().isoformat())}>\n')
        else:
            out.write('{"version": "2.03", "iati-activities": [\n')
        for n, contract in enumerate(rows):
            org = db.session.get(Organization, contract.org_id)
            fund = db.session.get(Fund, contract.fund_id)
            head = activity(tenant, contract, org, fund)
            txns = list(transactions(tenant.id, contract))
            count += len(txns)
            if fmt == "xml":
                for piece in _activity_xml(head, iter(txns)):
                    out.write(piece + "\n")
            else:
                out.write(("," if n else "") + json.dumps({**head, "transaction": txns},
                                                          ensure_ascii=False) + "\n")
            job.progress(n + 1, len(rows))
        out.write("</iati-activities>\n" if fmt == "xml" else "]}\n")
    return count
