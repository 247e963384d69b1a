"""Every input of every form a page renders, walked once and sent its hostile values: dates,
datetimes and times their extremes (``tests/test_date_inputs.py``), amounts, percentages and
other numbers theirs (``tests/funding/test_amount_input.py``). One walk of the pages (every
page as every role) finds the forms for both, so the pages are read once, not twice."""

from __future__ import annotations

import pytest

from tests.forms_walk import clients, discover
from tests.funding.test_amount_input import page_amount_failures, walk_ids
from tests.test_date_inputs import PAGE_KINDS, page_date_failures


@pytest.mark.long
def test_every_page_input_refuses_hostile_dates_and_amounts(app, world, login):
    ids = walk_ids(world)
    by_role = clients(app, world, login)
    found = discover(app, world, by_role, PAGE_KINDS | {"decimal", "number"}, ids)
    failures = page_date_failures(app, world, by_role, found) + page_amount_failures(by_role, found)
    assert failures == [], "\n".join(failures)
