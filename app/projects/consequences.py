"""What publishing and cancelling do, said before they are done (``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.templating import localtime


@consequence("project.publish", _l("Publish"))
def publish(project) -> str:
    return _("Once published, residents see “%(name)s” in the marketplace and can sign up. "
             "It cannot go back to being a draft.", name=project.name)


@consequence("project.cancel", _l("Cancel the project"))
def cancel(project) -> str:
    return _("“%(name)s” and all its shifts and slots are cancelled; everyone signed up is "
             "told, with your reason. This cannot be undone.", name=project.name)


@consequence("place.cancel", _l("Cancel"))
def cancel_place(place) -> str:
    return _("The date on %(when)s at %(place)s is cancelled; the %(n)s people with a "
             "confirmed place and those on the waitlist are told. This cannot be undone.",
             when=localtime(place.starts_at, "%m-%d %H:%M"), place=place.place,
             n=place.confirmed_count)
