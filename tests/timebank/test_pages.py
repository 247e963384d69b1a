"""The time-bank pages: a volunteer sees her credits in plain words, gives some to her
daughter only after seeing who receives them, the daughter pays a booking after confirming,
and the bureau reads and gives out the community pool."""

from __future__ import annotations

from datetime import timedelta

from app.db import utcnow
from app.timebank import services as bank_services
from tests.service.factories import book, make_slot
from tests.timebank.conftest import district, shift_for
from tests.timebank.test_time_bank import held, serve


def credited(bank, minutes=120):
    serve(bank, shift_for(bank), minutes)
    return bank


def page(client, bank, path=""):
    return client.get(f"/t/{bank.tenant.slug}/timebank/{path}")


def test_my_time_bank_shows_balance_and_movements_in_words(db, client, login):
    bank = credited(district())
    login(bank.volunteer)
    html = page(client, bank).get_data(as_text=True)
    assert "我的时间银行" in html and "2 小时" in html
    assert "服务存入" in html and "阳光社区服务中心" in html
    assert "service-record" not in html and "HOUR" not in html


def test_a_gift_asks_who_receives_it_before_anything_moves(db, client, login):
    bank = credited(district())
    login(bank.volunteer)
    url = f"/t/{bank.tenant.slug}/timebank/give"
    form = {"phone": bank.daughter.phone, "hours": "1.5"}
    asked = client.post(url, data=form)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "李*" in text and "138****2222" in text
    assert "李娟" not in text and held(bank, bank.daughter) == 0
    done = client.post(url, data={**form, "confirmed": "yes"})
    assert done.status_code == 302
    assert (held(bank, bank.volunteer), held(bank, bank.daughter)) == (30, 90)


def test_a_gift_with_a_wrong_number_or_amount_moves_nothing(db, client, login):
    bank = credited(district())
    login(bank.volunteer)
    url = f"/t/{bank.tenant.slug}/timebank/give"
    for form in ({"phone": "13912345678", "hours": "1"},
                 {"phone": bank.daughter.phone, "hours": "0.3"},
                 {"phone": bank.daughter.phone, "hours": "abc"},
                 {"phone": bank.daughter.phone, "hours": "5", "confirmed": "yes"}):
        response = client.post(url, data=form, follow_redirects=True)
        assert response.status_code == 200
        assert held(bank, bank.volunteer) == 120 and held(bank, bank.daughter) == 0
    assert "时间币不足" in response.get_data(as_text=True)


def test_the_daughter_pays_a_booking_of_another_organization(db, client, login):
    bank = credited(district())
    bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 120, by=bank.volunteer)
    slot = make_slot(bank.project_b, starts_at=utcnow() + timedelta(days=3), hours=1)
    booking = book(slot, bank.daughter)
    login(bank.daughter)
    html = page(client, bank).get_data(as_text=True)
    assert "上门理发" in html and "支付 1 小时" in html
    url = f"/t/{bank.tenant.slug}/timebank/bookings/{booking.id}/pay"
    assert client.post(url).status_code == 200 and held(bank, bank.daughter) == 120
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    assert held(bank, bank.daughter) == 60
    assert "上门理发" in page(client, bank).get_data(as_text=True)


def test_someone_elses_booking_cannot_be_paid(db, client, login):
    bank = credited(district())
    slot = make_slot(bank.project_b, starts_at=utcnow() + timedelta(days=3), hours=1)
    booking = book(slot, bank.daughter)
    login(bank.volunteer)
    url = f"/t/{bank.tenant.slug}/timebank/bookings/{booking.id}/pay"
    assert client.post(url, data={"confirmed": "yes"}).status_code == 403
    other = district(prefix="139")
    foreign = book(make_slot(other.project_b, starts_at=utcnow() + timedelta(days=3)),
                   other.volunteer)
    url = f"/t/{bank.tenant.slug}/timebank/bookings/{foreign.id}/pay"
    assert client.post(url, data={"confirmed": "yes"}).status_code == 404
    assert held(bank, bank.volunteer) == 120


def test_the_pool_is_for_the_bureau_and_gives_to_a_resident(db, client, login):
    bank = credited(district(cap=1), minutes=180)
    login(bank.volunteer)
    assert page(client, bank, "pool").status_code == 403
    client.get("/logout")
    login(bank.officer)
    html = page(client, bank, "pool").get_data(as_text=True)
    assert "社区互助池" in html and "2 小时" in html and "张**" in html
    assert "志愿者捐入" in html
    url = f"/t/{bank.tenant.slug}/timebank/pool/give"
    form = {"phone": bank.neighbour.phone, "hours": "2", "confirmed": "yes"}
    assert client.post(url, data=form).status_code == 302
    assert held(bank, None) == 0 and held(bank, bank.neighbour) == 120
    # Now the pool is empty: a plain sentence, not a form that can only fail.
    html = page(client, bank, "pool").get_data(as_text=True)
    assert "0 小时" in html and "互助池现在没有时长" in html
    assert f'action="/t/{bank.tenant.slug}/timebank/pool/give"' not in html


def test_the_pool_form_says_it_gives_from_the_pool(db, client, login):
    bank = credited(district(cap=1), minutes=180)
    login(bank.officer)
    html = page(client, bank, "pool").get_data(as_text=True)
    assert "从互助池发放（小时）" in html and "转赠时长" not in html
    assert "从互助池发放时长" in html


def test_giving_says_what_the_check_shows_and_needs_credits(db, client, login):
    """The hint names what the confirmation shows (surname and the mobile's last four
    digits), and someone with no credits sees a sentence, not the form."""
    bank = credited(district())
    login(bank.volunteer)
    html = page(client, bank).get_data(as_text=True)
    assert "对方的姓和手机号后四位" in html and "显示对方姓名" not in html
    assert f'action="/t/{bank.tenant.slug}/timebank/give"' in html
    client.get("/logout")
    login(bank.daughter)
    html = page(client, bank).get_data(as_text=True)
    assert "您现在没有时间币" in html
    assert f'action="/t/{bank.tenant.slug}/timebank/give"' not in html


def test_a_payment_is_called_the_same_on_the_button_and_in_the_list(db, client, login):
    bank = credited(district())
    bank_services.give(bank.tenant, bank.volunteer, bank.daughter, 120, by=bank.volunteer)
    slot = make_slot(bank.project_b, starts_at=utcnow() + timedelta(days=3), hours=1)
    booking = book(slot, bank.daughter)
    login(bank.daughter)
    assert "支付 1 小时" in page(client, bank).get_data(as_text=True)
    url = f"/t/{bank.tenant.slug}/timebank/bookings/{booking.id}/pay"
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    html = page(client, bank).get_data(as_text=True)
    assert "支付服务" in html and "兑换" not in html
