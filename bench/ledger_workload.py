"""A deterministic year of money events for the ledger benchmarks.

One tenant, 4 funds, 50 organizations with 2 contracts each: appropriations
and commitments in January, tranches through the year, then mostly
expenditures and point accruals, some redemptions and reversals, refunds in
December. Dates never go backwards, as from an outbox drained in order.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from ledger import events as ev

TENANT = "bench"
YEAR = 2025
FUNDS, ORGS, CONTRACTS_PER_ORG = 4, 50, 2
LINES = ("Transport", "Materials", "Venue", "Printing", "Meals", "Insurance")


def _yuan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def events(count: int, seed: int = 7) -> Iterator[ev.MoneyEvent]:
    """``count`` events in date order across one fiscal year."""
    rng = random.Random(seed)
    contracts = [
        (org, org * 10 + k) for org in range(1, ORGS + 1) for k in range(CONTRACTS_PER_ORG)
    ]
    fund_of = {c: 1 + i % FUNDS for i, (_, c) in enumerate(contracts)}
    start = datetime.date(YEAR, 1, 1)
    recent: list[ev.Expenditure] = []

    def common(n: int, kind: str) -> dict:
        date = start + datetime.timedelta(days=n * 365 // count)
        return dict(
            txn_id=f"gz-{TENANT}-{n}",
            tenant=TENANT,
            date=date,
            narration=f"{kind} 第{n}笔",
            source=f"{kind}:{n}",
            approver="user:2",
        )

    setup: list = [("appropriation", f) for f in range(1, FUNDS + 1)]
    setup += [("commitment", c) for c in contracts]
    setup += [("disbursement", c) for c in contracts]
    for n in range(count):
        if n < len(setup):
            kind, what = setup[n]
            if kind == "appropriation":
                yield ev.Appropriation(
                    **common(n, kind), fund_id=what, amount=Decimal("50000000.00")
                )
            else:
                org, contract = what
                cls = ev.Commitment if kind == "commitment" else ev.Disbursement
                amount = Decimal("800000.00") if kind == "commitment" else Decimal("400000.00")
                yield cls(
                    **common(n, kind),
                    fund_id=fund_of[contract],
                    org_id=org,
                    contract_id=contract,
                    amount=amount,
                )
            continue
        org, contract = rng.choice(contracts)
        roll = rng.random()
        if n >= count - len(contracts):
            yield ev.Refund(
                **common(n, "refund"),
                fund_id=fund_of[contract],
                org_id=org,
                contract_id=contract,
                amount=_yuan(rng, 1, 50),
            )
        elif roll < 0.78:
            event = ev.Expenditure(
                **common(n, "expenditure"),
                org_id=org,
                contract_id=contract,
                line=rng.choice(LINES),
                amount=_yuan(rng, 5, 3000),
                payee="供应商",
            )
            recent = [*recent[-50:], event]
            yield event
        elif roll < 0.93:
            yield ev.IncentiveAccrual(
                **common(n, "incentive-accrual"), org_id=org, points=rng.randint(1, 8)
            )
        elif roll < 0.97:
            yield ev.RedemptionSettlement(
                **common(n, "redemption-settlement"),
                org_id=org,
                contract_id=contract,
                points=rng.randint(1, 3),
                amount=_yuan(rng, 1, 30),
                payee="爱心超市",
            )
        elif roll < 0.99 and n % 25 == 0:
            yield ev.Disbursement(
                **common(n, "disbursement"),
                fund_id=fund_of[contract],
                org_id=org,
                contract_id=contract,
                amount=_yuan(rng, 1000, 5000),
            )
        elif recent:
            original = recent.pop(rng.randrange(len(recent)))
            yield ev.Reversal(**common(n, "reversal"), original=original, reason="录入错误")
        else:
            yield ev.IncentiveAccrual(**common(n, "incentive-accrual"), org_id=org, points=1)
