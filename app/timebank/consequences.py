"""What giving and paying time credits do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.service.hours import format_minutes
from app.templating import localtime


@consequence("timebank.give", _l("Give the time credits"))
def give(gift) -> str:
    return _("%(hours)s hours leave your time bank now and go to %(name)s (%(phone)s). Only "
             "they can use them; they cannot be taken back.",
             hours=format_minutes(gift.minutes), name=gift.name, phone=gift.phone)


@consequence("timebank.pool.give", _l("Give from the pool"))
def pool_give(gift) -> str:
    return _("%(hours)s hours leave the community pool now and go to %(name)s (%(phone)s); "
             "they cannot be taken back.", hours=format_minutes(gift.minutes), name=gift.name,
             phone=gift.phone)


@consequence("timebank.pay", _l("Pay with time credits"))
def pay(item) -> str:
    return _("%(hours)s hours leave your time bank now to pay for %(service)s on %(when)s. "
             "If you cancel the booking in time, they come back.",
             hours=format_minutes(item.minutes), service=item.service,
             when=localtime(item.starts_at, "%m-%d %H:%M"))
