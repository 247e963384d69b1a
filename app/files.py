"""Finding a file the app keeps on disk (uploads, exports, certificates, journals) from the
name it stored, without ever leaving the folder it belongs in.

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


def _parts(name: str) -> tuple[str, ...]:
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name or \
            name.startswith("/"):
        raise FileNotFoundError(name)
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise FileNotFoundError(name)
    return parts
