"""Files the app keeps (uploads, exports, certificates, journals): what an upload really is,
and finding a stored file from the name it was stored under, without ever leaving the folder
it belongs in. Where they are kept is ``app.storage``'s business.

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
    names = parts(name)
    folder = parts(under) if under else ()
    if not names or names[:len(folder)] != folder or len(names) == len(folder):
        raise FileNotFoundError(name)
    base = Path(root).resolve()
    path = base.joinpath(*names)
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


def parts(name: str) -> tuple[str, ...]:
    """The parts of a relative, ``/``-separated name written the plain way;
    ``FileNotFoundError`` for any other."""
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name or \
            name.startswith("/"):
        raise FileNotFoundError(name)
    found = PurePosixPath(name).parts
    if ".." in found or str(PurePosixPath(*found)) != name:  # one spelling only: no "./", "//"
        raise FileNotFoundError(name)
    return found
