"""``/api/v1/t/<tenant>/timebank``: my credits, a gift by mobile number, a payment, the pool;
hours as decimal strings; refusals say why and move nothing."""

from __future__ import annotations

from datetime import timedelta

from app.db import utcnow
from tests.service.factories import book, make_slot
from tests.timebank.conftest import district, shift_for
from tests.timebank.test_time_bank import held, serve


def api(bank):
    return f"/api/v1/t/{bank.tenant.slug}/timebank"


def test_gift_and_payment_over_the_api(db, client, login):
    bank = district()
    serve(bank, shift_for(bank), 120)
    login(bank.volunteer)
    mine = client.get(api(bank)).get_json()
    assert mine["balance"] == "2.00" and mine["movements"][0]["kind"] == "deposit"
    given = client.post(f"{api(bank)}/gifts", json={"phone": bank.daughter.phone,
                                                    "hours": "1.5"})
    assert given.status_code == 201 and given.get_json()["balance"] == "0.50"
    for body in ({"phone": bank.daughter.phone, "hours": "0.3"},
                 {"phone": bank.daughter.phone, "hours": "5"},
                 {"phone": "13912345678", "hours": "0.25"},
                 {"phone": bank.daughter.phone, "hours": 1e308}):
        refused = client.post(f"{api(bank)}/gifts", json=body)
        assert refused.status_code in (404, 409, 422), (body, refused.status_code)
    assert held(bank, bank.volunteer) == 30
    client.get("/logout")
    login(bank.daughter)
    booking = book(make_slot(bank.project_b, starts_at=utcnow() + timedelta(days=2),
                             hours=1.5), bank.daughter)
    paid = client.post(f"{api(bank)}/bookings/{booking.id}/payment")
    assert paid.status_code == 201 and paid.get_json()["balance"] == "0.00"
    again = client.post(f"{api(bank)}/bookings/{booking.id}/payment")
    assert again.status_code == 409
    assert client.get(f"{api(bank)}/pool").status_code == 403


def test_the_bureau_reads_and_gives_from_the_pool(db, client, login):
    bank = district(cap=1)
    serve(bank, shift_for(bank), 120)
    login(bank.officer)
    assert client.get(f"{api(bank)}/pool").get_json()["balance"] == "1.00"
    given = client.post(f"{api(bank)}/pool/gifts", json={"phone": bank.neighbour.phone,
                                                         "hours": "1"})
    assert given.status_code == 201 and given.get_json()["balance"] == "0.00"
    assert held(bank, bank.neighbour) == 60
