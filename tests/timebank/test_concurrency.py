"""Two gifts from one account at the same moment: together they ask for more than it holds,
so one is given and the other refused; the balance never goes below zero."""

from __future__ import annotations

from app.auth.models import User
from app.db_commit import commit
from app.extensions import db
from app.tenancy.models import Tenant
from app.timebank import services
from app.timebank.services import TimeBankError
from tests.concurrency import run_together
from tests.timebank.conftest import district, shift_for
from tests.timebank.test_time_bank import serve


def test_two_gifts_at_once_never_spend_more_than_is_held(app, committed):
    bank = district()
    serve(bank, shift_for(bank), 120)
    commit()
    ids = (bank.tenant.id, bank.volunteer.id, bank.daughter.id, bank.neighbour.id)
    db.session.remove()

    def gift(receiver_id: int):
        def job():
            tenant = db.session.get(Tenant, ids[0])
            giver = db.session.get(User, ids[1])
            return services.give(tenant, giver, db.session.get(User, receiver_id), 90,
                                 by=giver)
        return job

    results = run_together(app, [gift(ids[2]), gift(ids[3])])
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TimeBankError), results
    held = [services.balance(ids[0], who) for who in ids[1:]]
    assert held[0] == 30 and sorted(held[1:]) == [0, 90]
