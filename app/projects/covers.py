"""A project's cover picture (封面照片), shown on its marketplace card and page.

An organization uploads a photo (checked by content in ``app/orgs/uploads.py``); it is
redrawn here as a JPEG at most 1600 px wide, which drops what a phone writes into a photo
(the place it was taken, the camera) and keeps cards light on a phone. A project without
one shows its service category's drawing from ``static/img/covers/``.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.orgs import uploads
from app.projects.models import Project
from app.templating import category_picture, static_root

WIDTH = 1600
#: Each service category's drawing; others get the general one.

class CoverError(ValueError):
    """A refusal the user can read."""


def prepare(upload: uploads.Upload) -> uploads.Upload:
    """The photo redrawn: upright, at most ``WIDTH`` wide, JPEG, no metadata."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.convert("RGBA").getchannel("A"))
                image = flat
            image = image.convert("RGB")
            if image.width > WIDTH:
                image = image.resize((WIDTH, round(image.height * WIDTH / image.width)),
                                     Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    except (OSError, ValueError) as exc:
        raise CoverError(_l("This picture cannot be read; please try another one.")) from exc
    return uploads.Upload(data=out.getvalue(), kind=uploads.JPEG, filename=upload.filename)


def set_cover(project: Project, upload: uploads.Upload) -> None:
    """Store ``upload`` as the project's cover (the earlier one is removed from storage)."""
    photo = prepare(upload)
    old = project.cover_key
    project.cover_key = uploads.store(photo, project.tenant_id, folder(project))
    project.cover_mime = photo.mime
    if old:
        uploads.remove(old, uploads.folder_of(project.tenant_id, folder(project)))


def remove_cover(project: Project) -> None:
    project.cover_key = project.cover_mime = None


def folder(project: Project) -> str:
    return f"projects/{project.id}/cover"


def cover_url(project) -> str:
    """The picture to show for a project (or a marketplace card): its photo, with the
    stored name as version so a new photo is never hidden by a cached one, else its
    category's drawing."""
    if project.cover_key:
        return url_for("marketplace.cover", project_id=project.id,
                       v=Path(project.cover_key).stem[:12])
    return static_root() + category_picture(project.category, "covers")


