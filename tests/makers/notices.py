"""Isolation makers for community notices; the stop link works without signing in."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


def _area(world, org):
    from tests.factories import AreaFactory

    return AreaFactory(tenant=world.tenant, name=f"{org.name}通知社区", level="社区")


@maker("notice_id")
def _notice(world, org):
    """A notice the district's officer sent to a community, with its confidential words."""
    from app.extensions import db
    from app.notices.models import CommunityNotice

    area = _area(world, org)
    notice = CommunityNotice(tenant_id=world.tenant.id, area_id=area.id, area_name=area.name,
                             title=f"{org.name}机密通知", body=f"{org.name}的机密内容",
                             sent_by_id=world.users.officer.id, status="sent")
    db.session.add(notice)
    db.session.flush()
    return notice.id


@maker("stop_token")
def _token(world, org):
    """The stop link of the district's resident."""
    from app.notices import tokens

    return tokens.make(world.tenant.id, world.users.resident.id)


PUBLIC_ENDPOINTS.update({"notices.stop"})
