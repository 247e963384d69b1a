"""Money events refuse what the books cannot hold, and survive the outbox round trip."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from ledger import events as ev
from tests.ledger.support import D, day, make, scenario


def expenditure(**overrides):
    fields = dict(org_id=5, contract_id=34, line="Materials", amount=D("12.50"))
    fields.update(overrides)
    return make(ev.Expenditure, 1, day(3, 1), **fields)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("10.005"), "amount must be whole fen (at most 2 decimals), got 10.005"),
        (D("0.001"), "amount must be whole fen (at most 2 decimals), got 0.001"),
        (D("0"), "amount must be positive, got 0"),
        (D("0.00"), "amount must be positive, got 0.00"),
        (D("-5.00"), "amount must be positive, got -5.00"),
        (D("NaN"), "amount is out of range: NaN"),
        (D("1E+13"), "amount is out of range: 1E+13"),
    ],
)
def test_bad_amounts_are_refused(amount, message):
    with pytest.raises(ValueError) as error:
        expenditure(amount=amount)
    assert str(error.value) == message


@pytest.mark.parametrize("amount", [12.5, 12, "12.50"])
def test_amount_must_be_a_decimal(amount):
    with pytest.raises(TypeError):
        expenditure(amount=amount)


def test_amount_is_kept_to_the_fen():
    assert expenditure(amount=D("12.5")).amount.as_tuple().exponent == -2
    assert str(expenditure(amount=D("7")).amount) == "7.00"
    assert str(expenditure(amount=D("3.100")).amount) == "3.10"


@pytest.mark.parametrize(
    ("points", "error"), [(0, ValueError), (-3, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_points_are_positive_integers(points, error):
    with pytest.raises(error):
        make(ev.IncentiveAccrual, 1, day(3, 1), org_id=5, points=points)


def test_common_fields_are_checked():
    with pytest.raises(ValueError, match="reserved for the ledger"):
        make(
            ev.Appropriation,
            1,
            day(1, 1),
            fund_id=1,
            amount=D("1.00"),
            txn_id="ledger:carry-in:2025",
        )
    with pytest.raises(TypeError, match="date must be a datetime.date"):
        make(ev.Appropriation, 1, datetime.datetime(2025, 1, 1, 9), fund_id=1, amount=D("1"))
    with pytest.raises(ValueError, match="narration must not contain control characters"):
        make(ev.Appropriation, 1, day(1, 1), fund_id=1, amount=D("1"), narration="a\x07b")
    with pytest.raises(ValueError, match="tenant must be a lowercase slug"):
        ev.Appropriation(
            txn_id="t1",
            tenant="Xi Hu",
            date=day(1, 1),
            narration="x",
            source="s",
            approver="a",
            fund_id=1,
            amount=D("1"),
        )
    with pytest.raises(ValueError, match="org_id does not apply to appropriation events"):
        make(ev.Appropriation, 1, day(1, 1), fund_id=1, org_id=5, amount=D("1"))
    with pytest.raises(ValueError, match="contract_id must be a positive integer id"):
        make(ev.Disbursement, 1, day(1, 1), fund_id=1, org_id=5, contract_id=0, amount=D("1"))
    with pytest.raises(ValueError, match="budget line must be an ASCII code"):
        expenditure(line="材料")


def test_reversal_takes_ids_from_the_original():
    original = expenditure()
    reversal = make(ev.Reversal, 2, day(3, 2), original=original, reason="录入错误")
    assert (reversal.org_id, reversal.contract_id, reversal.fund_id) == (5, 34, None)
    with pytest.raises(ValueError, match="org_id must match the original"):
        make(ev.Reversal, 2, day(3, 2), original=original, reason="x", org_id=6)
    with pytest.raises(ValueError, match="a reversal needs its own txn_id"):
        make(ev.Reversal, 1, day(3, 2), original=original, reason="x")


def test_every_event_survives_the_outbox_as_json():
    for event in scenario():
        payload = json.loads(json.dumps(event.to_payload()))
        assert ev.event_from_payload(payload) == event
    reversal = scenario()[-1].to_payload()
    assert reversal["original"]["amount"] == "1234.56"
    assert reversal["kind"] == "reversal"


def test_payload_refuses_floats_and_unknown_fields():
    payload = expenditure().to_payload()
    with pytest.raises(TypeError, match="amount must be a decimal string"):
        ev.event_from_payload({**payload, "amount": 12.5})
    with pytest.raises(ValueError, match="unknown fields for expenditure: colour"):
        ev.event_from_payload({**payload, "colour": "red"})
    with pytest.raises(ValueError, match="unknown event kind: 'gift'"):
        ev.event_from_payload({**payload, "kind": "gift"})


def test_fen_conversions():
    assert ev.yuan_from_fen(123456) == Decimal("1234.56")
    assert ev.fen_from_yuan(Decimal("1234.56")) == 123456
    assert ev.fen_from_yuan(Decimal("-0.01")) == -1
    with pytest.raises(TypeError):
        ev.yuan_from_fen(12.0)
