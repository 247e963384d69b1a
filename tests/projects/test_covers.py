"""Cover pictures: an organization adds a photo to its project (redrawn, without what the
phone wrote into it), the marketplace card and the project page show it, anyone who may see
the project may load it; a project without one shows its category's drawing."""

from __future__ import annotations

import io

from PIL import Image

from app.auth.models import Role
from app.projects.models import ProjectStatus
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.orgs.files import upload
from tests.projects.factories import ProjectFactory, slot

FORM = {"name": "周末助老", "category": "助老服务", "area_id": "0", "cancel_deadline_hours": "24"}


def phone_photo() -> bytes:
    """A 2400×1800 JPEG such as a phone takes, with its GPS position in the EXIF data."""
    image = Image.new("RGB", (2400, 1800), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def setup():
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    return tenant, org, user_with(tenant, Role.ORG_COORDINATOR, org)


def test_a_cover_photo_is_redrawn_without_its_metadata_and_shown_to_everyone(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org, name="周末助老")
    slot(project)
    login(coordinator)
    original = phone_photo()
    assert b"PhoneMaker" in original
    edit = f"/t/{tenant.slug}/projects/{project.id}/edit"
    response = client.post(edit, data={**FORM, "cover": upload(original, "IMG_0001.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and project.cover_mime == "image/jpeg"
    client.post("/logout")

    page = client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)
    card = client.get(f"/t/{tenant.slug}/projects").get_data(as_text=True)
    src = f"/t/{tenant.slug}/projects/{project.id}/cover?v="
    assert src in page and src in card
    served = client.get(src + "x")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "public, max-age=604800, immutable"
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (1600, 1200) and not image.getexif()
    assert b"PhoneMaker" not in served.data


def test_not_a_picture_is_refused_and_a_draft_cover_stays_internal(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org, status=ProjectStatus.DRAFT)
    login(coordinator)
    edit = f"/t/{tenant.slug}/projects/{project.id}/edit"
    refused = client.post(edit, data={**FORM, "cover": upload(b"%PDF-1.4\n%%EOF\n", "a.jpg")},
                          content_type="multipart/form-data")
    assert "只接受 PNG 或 JPEG 图片" in refused.get_data(as_text=True)
    assert project.cover_key is None
    client.post(edit, data={**FORM, "cover": upload(phone_photo(), "a.jpg")},
                content_type="multipart/form-data")
    cover = f"/t/{tenant.slug}/projects/{project.id}/cover"
    assert client.get(cover).status_code == 200  # the organization sees its draft's cover
    assert "no-store" in client.get(cover).headers["Cache-Control"]
    client.post("/logout")
    assert client.get(cover).status_code == 404
    login(user_with(tenant, Role.RESIDENT))
    assert client.get(cover).status_code == 404

    login(coordinator)
    client.post(edit, data={**FORM, "remove_cover": "y"}, content_type="multipart/form-data")
    assert project.cover_key is None


def test_without_a_photo_the_category_drawing_is_shown(client, db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    elderly = ProjectFactory(org=org, category="助老服务")
    other = ProjectFactory(org=org, category="其他")
    page = client.get(f"/t/{tenant.slug}/projects/{elderly.id}").get_data(as_text=True)
    assert 'src="/static/img/covers/elder.svg"' in page
    card = client.get(f"/t/{tenant.slug}/projects").get_data(as_text=True)
    assert 'src="/static/img/covers/community.svg"' in card
    assert client.get(f"/t/{tenant.slug}/projects/{other.id}/cover").status_code == 404
    assert client.get("/static/img/covers/elder.svg").status_code == 200
