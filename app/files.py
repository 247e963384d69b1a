"""Files the app keeps on disk (uploads, exports, certificates, journals): what an upload
really is, and finding a stored file from the name it was stored under, without ever
leaving the folder it belongs in.

Stored names are made by the app, but a download trusts none of them: a name that is
absolute, climbs out with ``..``, holds a backslash or a NUL, or leads through a symbolic
link (none of which the app ever makes) names nothing.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


def inside(root: str | os.PathLike[str], name: str, under: str = "") -> Path:
    """The path ``name`` (relative, ``/``-separated) gives under ``root``, which must also lie
    in its sub-folder ``under`` when given; ``FileNotFoundError`` for anything else."""
    parts = _parts(name)
    folder = _parts(under) if under else ()
    if not parts or parts[:len(folder)] != folder or len(parts) == len(folder):
        raise FileNotFoundError(name)
    base = Path(root).resolve()
    path = base.joinpath(*parts)
    if path.resolve() != path:  # a symbolic link on the way
        raise FileNotFoundError(name)
    return path


def kind_of(data: bytes) -> str | None:
    """A file's type by its first bytes, whatever its name says: "pdf", "png", "jpg",
    "webp", or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def send_private(root: str | os.PathLike[str], name: str, under: str, mimetype: str,
                 download_name: str):
    """A response with the stored file ``inside(root, name, under)``, or 404; private, never
    kept by shared caches."""
    from flask import abort, send_file

    try:
        path = inside(root, name, under)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mimetype, download_name=download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _parts(name: str) -> tuple[str, ...]:
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name or \
            name.startswith("/"):
        raise FileNotFoundError(name)
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise FileNotFoundError(name)
    return parts
